// Standalone entry: start the demo Inventory and CRM upstreams (e.g. as a benchmark child process).
// Usage: tsx src/demo/run-demo-upstreams.ts --inventory-port 4101 --crm-port 4102 --latency-inventory 20
import { parseArgs } from 'node:util';
import { createCrmServer } from './crm-server.js';
import { createInventoryServer } from './inventory-server.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'inventory-port': { type: 'string', default: '0' },
    'crm-port': { type: 'string', default: '0' },
    'latency-inventory': { type: 'string', default: '0' },
    'latency-crm': { type: 'string', default: '0' },
  },
});

// Private: a typo in a flag should stop the process with a message naming the flag, not start on port NaN.
function numberFlag(name: keyof typeof values): number {
  const raw = values[name];
  const parsed = Number(raw);
  if (raw === '' || !Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`--${name} must be a non-negative integer, got '${raw}'`);
  }
  return parsed;
}

const [inventory, crm] = await Promise.all([
  createInventoryServer({
    host: values.host,
    port: numberFlag('inventory-port'),
    latencyMs: numberFlag('latency-inventory'),
  }),
  createCrmServer({ host: values.host, port: numberFlag('crm-port'), latencyMs: numberFlag('latency-crm') }),
]);

// Private: the parent asks `{ type: 'cpu' }` to measure how much CPU the upstreams used during a run.
function isCpuRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'cpu';
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([inventory.close(), crm.close()]);
  process.exit(0);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ inventoryUrl: inventory.url, crmUrl: crm.url })}\n`);

if (process.send !== undefined) {
  process.on('message', (message: unknown) => {
    if (isCpuRequest(message)) process.send?.({ type: 'cpu', usage: process.cpuUsage() });
  });
  // A parent that went away will not send SIGTERM: stop instead of lingering as an orphan.
  process.on('disconnect', stop);
  process.send({ type: 'ready', inventoryUrl: inventory.url, crmUrl: crm.url });
}
