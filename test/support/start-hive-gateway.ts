// Runs Hive Gateway (the real CLI) in front of a composed supergraph, forwarding the headers a test names.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from './free-port.js';
import { type SpawnedTool, spawnTool } from './spawn-tool.js';
import { waitUntil } from './wait-until.js';

export interface HiveGatewayOptions {
  /** A temp dir for the gateway's config file. */
  readonly dir: string;
  /** The supergraph SDL file (see composeSupergraph). */
  readonly supergraphPath: string;
  /** Client request headers propagated to every subgraph (its `propagateHeaders.fromClientToSubgraphs`). @default [] */
  readonly forwardHeaders?: readonly string[];
  /** Subgraph response headers propagated to the client (`propagateHeaders.fromSubgraphsToClient`). @default [] */
  readonly returnHeaders?: readonly string[];
}

export interface RunningHiveGateway {
  /** Its GraphQL endpoint, e.g. `http://127.0.0.1:41234/graphql`. */
  readonly url: string;
  output(): string;
  close(): Promise<void>;
}

/** Ports tried before giving up: another process may take the free port before the gateway binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Writes `gateway.config.mjs` and starts `hive-gateway supergraph` on a free loopback port, waiting
 * (bounded) for its "Listening on" line. Each header is copied only when the client sent it.
 */
export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningHiveGateway> {
  const configPath = join(options.dir, 'gateway.config.mjs');
  await writeFile(configPath, gatewayConfigSource(options));
  let lastOutput = '';
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    const args = ['supergraph', options.supergraphPath, '--config-path', configPath];
    const tool = spawnTool('hive-gateway', [...args, '--host', '127.0.0.1', '--port', String(port)], {
      cwd: options.dir,
    });
    const listening = `Listening on http://127.0.0.1:${port}`;
    try {
      await waitUntil(
        () => tool.output().includes(listening) || tool.child.exitCode !== null,
        'Hive Gateway listens',
        60_000,
      );
    } catch (error) {
      await tool.stop();
      throw error;
    }
    if (tool.output().includes(listening)) return running(tool, port);
    lastOutput = tool.output();
    await tool.stop();
    if (!/EADDRINUSE/.test(lastOutput)) break;
  }
  throw new Error(`Hive Gateway did not start:\n${lastOutput}`);
}

function running(tool: SpawnedTool, port: number): RunningHiveGateway {
  return { url: `http://127.0.0.1:${port}/graphql`, output: tool.output, close: () => tool.stop() };
}

/** Private: the config module; plain data and functions, so it needs no import from the temp dir. */
function gatewayConfigSource(options: HiveGatewayOptions): string {
  const forward = JSON.stringify(options.forwardHeaders ?? []);
  const back = JSON.stringify(options.returnHeaders ?? []);
  return `
const pick = (names, headers) =>
  Object.fromEntries(names.map((name) => [name, headers.get(name) ?? undefined]).filter(([, value]) => value !== undefined));
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => pick(${forward}, request.headers),
    fromSubgraphsToClient: ({ response }) => pick(${back}, response.headers),
  },
};
`;
}
