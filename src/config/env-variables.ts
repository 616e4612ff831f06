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
  ];
}

/** Every environment variable the gateway reads, besides FANOUT_CONFIG (the config file's path). */
export const envVariables: readonly EnvVariable[] = [
  { name: 'NODE_ENV', path: ['env'] },
  { name: 'HOST', path: ['server', 'host'] },
  { name: 'PORT', path: ['server', 'port'] },
  { name: 'FANOUT_MAX_ORDERS', path: ['server', 'maxOrdersPerRequest'] },
  { name: 'LOG_LEVEL', path: ['log', 'level'] },
  { name: 'FANOUT_DEADLINE_MS', path: ['fanout', 'defaultDeadlineMs'] },
  ...targetVariables('INVENTORY', 'inventory', ['INVENTORY_API_TOKEN', 'token']),
  ...targetVariables('CRM', 'crm', ['CRM_API_KEY', 'apiKey']),
  { name: 'DEMO_INVENTORY_LATENCY_MS', path: ['demo', 'inventoryLatencyMs'] },
  { name: 'DEMO_CRM_LATENCY_MS', path: ['demo', 'crmLatencyMs'] },
];
