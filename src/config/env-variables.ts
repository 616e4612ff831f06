// Which environment variable sets which configuration field: the one table the loader and the docs use.
import { listTargetSections, type TargetSection } from './target-sections.js';

/** An environment variable and the configuration path it sets. */
export interface EnvVariable {
  readonly name: string;
  readonly path: readonly string[];
  /** A credential: never echoed in an error, and also read from the file named by `<name>_FILE`. @default false */
  readonly secret?: boolean;
}

/** Private: a target section's variables, `<envPrefix>_*`, in the order the docs table lists them. */
function targetVariables([target, { envPrefix: prefix, credential }]: readonly [
  string,
  TargetSection,
]): EnvVariable[] {
  return [
    { name: `${prefix}_API_URL`, path: ['targets', target, 'url'] },
    { name: credential.variable, path: ['targets', target, credential.field], secret: true },
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
    { name: `${prefix}_CA_FILE`, path: ['targets', target, 'caFile'] },
    { name: `${prefix}_CLIENT_CERT_FILE`, path: ['targets', target, 'clientCertFile'] },
    { name: `${prefix}_CLIENT_KEY_FILE`, path: ['targets', target, 'clientKeyFile'] },
    { name: `${prefix}_EXPOSE_UPSTREAM_MESSAGES`, path: ['targets', target, 'exposeUpstreamMessages'] },
  ];
}

/** Every environment variable the gateway reads, besides FANOUT_CONFIG (the config file's path). */
export const envVariables: readonly EnvVariable[] = [
  { name: 'NODE_ENV', path: ['env'] },
  { name: 'HOST', path: ['server', 'host'] },
  { name: 'PORT', path: ['server', 'port'] },
  { name: 'FANOUT_MAX_ORDERS', path: ['server', 'maxOrdersPerRequest'] },
  { name: 'FANOUT_SHUTDOWN_TIMEOUT_MS', path: ['server', 'shutdownTimeoutMs'] },
  { name: 'FANOUT_SUBGRAPH', path: ['server', 'subgraph'] },
  { name: 'METRICS_ENABLED', path: ['metrics', 'enabled'] },
  { name: 'METRICS_HOST', path: ['metrics', 'host'] },
  { name: 'METRICS_PORT', path: ['metrics', 'port'] },
  { name: 'LOG_LEVEL', path: ['log', 'level'] },
  { name: 'LOG_FORMAT', path: ['log', 'format'] },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: ['tracing', 'endpoint'] },
  { name: 'OTEL_TRACES_EXPORTER', path: ['tracing', 'exporter'] },
  { name: 'OTEL_SERVICE_NAME', path: ['tracing', 'serviceName'] },
  { name: 'OTEL_TRACES_SAMPLER_ARG', path: ['tracing', 'sampleRatio'] },
  { name: 'FANOUT_DEADLINE_MS', path: ['fanout', 'defaultDeadlineMs'] },
  { name: 'FANOUT_MAX_TOKENS', path: ['limits', 'maxTokens'] },
  { name: 'FANOUT_MAX_DEPTH', path: ['limits', 'maxDepth'] },
  { name: 'FANOUT_MAX_ALIASES', path: ['limits', 'maxAliases'] },
  { name: 'FANOUT_MAX_DIRECTIVES', path: ['limits', 'maxDirectives'] },
  { name: 'FANOUT_MAX_COST', path: ['limits', 'maxCost'] },
  { name: 'FANOUT_BODY_LIMIT_BYTES', path: ['http', 'bodyLimitBytes'] },
  { name: 'FANOUT_REQUEST_TIMEOUT_MS', path: ['http', 'requestTimeoutMs'] },
  { name: 'FANOUT_CONNECTION_TIMEOUT_MS', path: ['http', 'connectionTimeoutMs'] },
  { name: 'FANOUT_KEEP_ALIVE_TIMEOUT_MS', path: ['http', 'keepAliveTimeoutMs'] },
  { name: 'FANOUT_CORS_ORIGINS', path: ['http', 'corsOrigins'] },
  { name: 'CLIENT_RATE_LIMIT_WRITES', path: ['clientRateLimit', 'writes'] },
  { name: 'CLIENT_RATE_LIMIT_WINDOW_S', path: ['clientRateLimit', 'windowSeconds'] },
  ...listTargetSections().flatMap(targetVariables),
  { name: 'IDEMPOTENCY_TTL_S', path: ['idempotency', 'ttlSeconds'] },
  { name: 'IDEMPOTENCY_MAX_ENTRIES', path: ['idempotency', 'maxEntries'] },
  { name: 'IDEMPOTENCY_MAX_BYTES', path: ['idempotency', 'maxBytes'] },
  { name: 'REDIS_URL', path: ['redis', 'url'], secret: true },
  { name: 'REDIS_KEY_PREFIX', path: ['redis', 'keyPrefix'] },
  { name: 'REDIS_COMMAND_TIMEOUT_MS', path: ['redis', 'commandTimeoutMs'] },
  { name: 'DELIVERY_QUEUE', path: ['delivery', 'queue'] },
  { name: 'FANOUT_DATA_DIR', path: ['delivery', 'dataDir'] },
  { name: 'FANOUT_WORKER', path: ['delivery', 'worker'] },
  { name: 'DELIVERY_RETRY_SCHEDULE', path: ['delivery', 'retrySchedule'] },
  { name: 'DELIVERY_COMPENSATION_RETRY_SCHEDULE', path: ['delivery', 'compensationRetrySchedule'] },
  { name: 'DELIVERY_RETENTION', path: ['delivery', 'retention'] },
  { name: 'DELIVERY_LEASE_MS', path: ['delivery', 'leaseMs'] },
  { name: 'DELIVERY_POLL_INTERVAL_MS', path: ['delivery', 'pollIntervalMs'] },
  { name: 'DELIVERY_REDIS_ASSUME_NOEVICTION', path: ['delivery', 'redisAssumeNoEviction'] },
  { name: 'FANOUT_TRUSTED_DOCUMENTS', path: ['trustedDocuments', 'manifest'] },
  { name: 'AUTH_MODE', path: ['auth', 'mode'] },
  { name: 'AUTH_API_KEYS', path: ['auth', 'apiKeys'], secret: true },
  { name: 'AUTH_JWKS_URL', path: ['auth', 'jwt', 'jwksUrl'] },
  { name: 'AUTH_JWT_PUBLIC_KEY', path: ['auth', 'jwt', 'publicKey'] },
  { name: 'AUTH_JWT_PUBLIC_KEY_FILE', path: ['auth', 'jwt', 'publicKeyFile'] },
  { name: 'AUTH_JWT_ISSUER', path: ['auth', 'jwt', 'issuer'] },
  { name: 'AUTH_JWT_AUDIENCE', path: ['auth', 'jwt', 'audience'] },
  { name: 'AUTH_JWT_ALGORITHMS', path: ['auth', 'jwt', 'algorithms'] },
  { name: 'AUTH_JWT_CLIENT_CLAIM', path: ['auth', 'jwt', 'clientClaim'] },
  { name: 'AUTH_JWT_CLOCK_TOLERANCE_S', path: ['auth', 'jwt', 'clockToleranceSeconds'] },
  { name: 'AUTH_JWKS_COOLDOWN_MS', path: ['auth', 'jwt', 'jwksCooldownMs'] },
  { name: 'AUTH_JWKS_TIMEOUT_MS', path: ['auth', 'jwt', 'jwksTimeoutMs'] },
  { name: 'DEMO_INVENTORY_LATENCY_MS', path: ['demo', 'inventoryLatencyMs'] },
  { name: 'DEMO_CRM_LATENCY_MS', path: ['demo', 'crmLatencyMs'] },
];
