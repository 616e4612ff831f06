// The standalone entry as a benchmark starts it: a child process that reports readiness and CPU over IPC.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { call, inventoryAuth } from './demo-http.js';

const entry = fileURLToPath(new URL('../../src/demo/run-demo-upstreams.ts', import.meta.url));

interface ReadyMessage {
  type: 'ready';
  inventoryUrl: string;
  crmUrl: string;
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return once(child, 'message').then(([message]) => message as T);
}

describe('run-demo-upstreams entry', () => {
  it('starts both upstreams, reports ready and CPU usage over IPC, and exits cleanly on SIGTERM', async () => {
    const child = fork(entry, ['--latency-inventory', '5', '--latency-crm', '5'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    try {
      const ready = await nextMessage<ReadyMessage>(child);
      expect(ready).toEqual({
        type: 'ready',
        inventoryUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        crmUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(JSON.parse(stdout.trim())).toEqual({ inventoryUrl: ready.inventoryUrl, crmUrl: ready.crmUrl });

      const stock = await call(ready.inventoryUrl, 'GET', '/inventory/stock/SKU-LIMITED', {
        headers: inventoryAuth,
      });
      expect(stock.json()).toEqual({ sku: 'SKU-LIMITED', available: 3 });

      child.send({ type: 'cpu' });
      const cpu = await nextMessage<{ type: string; usage: NodeJS.CpuUsage }>(child);
      expect(cpu.type).toBe('cpu');
      expect(cpu.usage.user).toBeGreaterThan(0);

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
