// The demo Inventory and CRM upstreams as one child process, with their CPU time asked over IPC.
import { type NodeProcess, startNodeProcess } from './start-process.js';

/** The running upstreams. */
export interface DemoUpstreams {
  readonly inventoryUrl: string;
  readonly crmUrl: string;
  readonly process: NodeProcess;
  /** User + system CPU milliseconds the upstream process has used so far. */
  cpuMs(): Promise<number>;
}

interface ReadyMessage {
  type: 'ready';
  inventoryUrl: string;
  crmUrl: string;
}

interface CpuMessage {
  type: 'cpu';
  usage: NodeJS.CpuUsage;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** Starts `src/demo/run-demo-upstreams.ts` with fixed latencies; resolves once it reports ready. */
export function startDemoUpstreams(latency: { inventoryMs: number; crmMs: number }): Promise<DemoUpstreams> {
  const node = startNodeProcess({
    script: 'src/demo/run-demo-upstreams.ts',
    args: ['--latency-inventory', String(latency.inventoryMs), '--latency-crm', String(latency.crmMs)],
    ipc: true,
  });
  const { child } = node;
  const cpuMs = () =>
    new Promise<number>((resolve) => {
      const onMessage = (message: unknown) => {
        if (!isMessage<CpuMessage>(message, 'cpu')) return;
        child.off('message', onMessage);
        resolve((message.usage.user + message.usage.system) / 1000);
      };
      child.on('message', onMessage);
      child.send({ type: 'cpu' });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo upstreams exited (code ${code}) before ready`)));
    child.on('message', (message: unknown) => {
      if (!isMessage<ReadyMessage>(message, 'ready')) return;
      resolve({ inventoryUrl: message.inventoryUrl, crmUrl: message.crmUrl, process: node, cpuMs });
    });
  });
}
