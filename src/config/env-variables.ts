// Which environment variable sets which configuration field: the one table the loader and the docs use.

/** An environment variable and the configuration path it sets. */
export interface EnvVariable {
  readonly name: string;
  readonly path: readonly string[];
}

function targetVariables(prefix: string, target: string, credential: [string, string]): EnvVariable[] {
  return [
    { name: `${prefix}_API_URL`, path: ['targets', target, 'url'] },
    { name: credential[0], path: ['targets', target, credential[1]] },
    { name: `${prefix}_TIMEOUT_MS`, path: ['targets', target, 'timeoutMs'] },
    { name: `${prefix}_CONNECTIONS`, path: ['targets', target, 'connections'] },
    { name: `${prefix}_BATCH_ENABLED`, path: ['targets', target, 'batchEnabled'] },
    { name: `${prefix}_MAX_BATCH_SIZE`, path: ['targets', target, 'maxBatchSize'] },
    { name: `${prefix}_CONCURRENCY`, path: ['targets', target, 'concurrency'] },
    { name: `${prefix}_IDEMPOTENCY_KEYS`, path: ['targets', target, 'idempotencyKeys'] },
    { name: `${prefix}_MAX_ATTEMPTS`, path: ['targets', target, 'maxAttempts'] },
    { name: `${prefix}_BACKOFF_INITIAL_MS`, path: ['targets', target, 'backoffInitialMs'] },
    { name: `${prefix}_BACKOFF_MAX_MS`, path: ['targets', target, 'backoffMaxMs'] },
    { name: `${prefix}_BREAKER_FAILURES`, path: ['targets', target, 'breakerFailures'] },
    { name: `${prefix}_BREAKER_HALF_OPEN_AFTER_MS`, path: ['targets', target, 'breakerHalfOpenAfterMs'] },
    { name: `${prefix}_BULKHEAD_LIMIT`, path: ['targets', target, 'bulkheadLimit'] },
    { name: `${prefix}_BULKHEAD_QUEUE`, path: ['targets', target, 'bulkheadQueue'] },
    { name: `${prefix}_RATE_LIMIT_RPS`, path: ['targets', target, 'rateLimitRps'] },
    { name: `${prefix}_RATE_LIMIT_BURST`, path: ['targets', target, 'rateLimitBurst'] },
    { name: `${prefix}_MAX_RESPONSE_BYTES`, path: ['targets', target, 'maxResponseBytes'] },
    { name: `${prefix}_MAX_BATCH_RESPONSE_BYTES`, path: ['targets', target, 'maxBatchResponseBytes'] },
  ];
}

/** Every environment variable the gateway reads, besides FANOUT_CONFIG (the config file's path). */
export const envVariables: readonly EnvVariable[] = [
  { name: 'NODE_ENV', path: ['env'] },
  { name: 'HOST', path: ['server', 'host'] },
  { name: 'PORT', path: ['server', 'port'] },
  { name: 'FANOUT_MAX_ORDERS', path: ['server', 'maxOrdersPerRequest'] },
  { name: 'FANOUT_SHUTDOWN_TIMEOUT_MS', path: ['server', 'shutdownTimeoutMs'] },
  { name: 'LOG_LEVEL', path: ['log', 'level'] },
  { name: 'LOG_FORMAT', path: ['log', 'format'] },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: ['tracing', 'endpoint'] },
  { name: 'OTEL_TRACES_EXPORTER', path: ['tracing', 'exporter'] },
  { name: 'OTEL_SERVICE_NAME', path: ['tracing', 'serviceName'] },
  { name: 'OTEL_TRACES_SAMPLER_ARG', path: ['tracing', 'sampleRatio'] },
  { name: 'FANOUT_DEADLINE_MS', path: ['fanout', 'defaultDeadlineMs'] },
  ...targetVariables('INVENTORY', 'inventory', ['INVENTORY_API_TOKEN', 'token']),
  ...targetVariables('CRM', 'crm', ['CRM_API_KEY', 'apiKey']),
  { name: 'IDEMPOTENCY_TTL_S', path: ['idempotency', 'ttlSeconds'] },
  { name: 'IDEMPOTENCY_MAX_ENTRIES', path: ['idempotency', 'maxEntries'] },
  { name: 'IDEMPOTENCY_MAX_BYTES', path: ['idempotency', 'maxBytes'] },
  { name: 'REDIS_URL', path: ['redis', 'url'] },
  { name: 'REDIS_KEY_PREFIX', path: ['redis', 'keyPrefix'] },
  { name: 'REDIS_COMMAND_TIMEOUT_MS', path: ['redis', 'commandTimeoutMs'] },
  { name: 'DEMO_INVENTORY_LATENCY_MS', path: ['demo', 'inventoryLatencyMs'] },
  { name: 'DEMO_CRM_LATENCY_MS', path: ['demo', 'crmLatencyMs'] },
];
