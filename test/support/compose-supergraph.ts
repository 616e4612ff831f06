// Composes a Federation supergraph with the Mesh compose CLI from subgraphs served over HTTP, in a temp dir.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnTool, waitForExit } from './spawn-tool.js';

export interface SubgraphSource {
  /** The subgraph's name in the supergraph (join__Graph). */
  readonly name: string;
  /** Its GraphQL endpoint, asked for `_service { sdl }`. */
  readonly url: string;
  /** Headers of the composition request (e.g. an API key: `_service` is behind the subgraph's authentication). */
  readonly headers?: Record<string, string>;
}

/** The compose CLI's ESM entry as a file URL: the config lives in a temp dir, outside node_modules' reach. */
function composeCliUrl(): string {
  const packageJson = createRequire(import.meta.url).resolve('@graphql-mesh/compose-cli/package.json');
  return pathToFileURL(join(dirname(packageJson), 'esm', 'index.js')).href;
}

/**
 * Writes `mesh.config.mjs` into `dir`, runs `mesh-compose` there and returns the supergraph file's path.
 * `federation: true` makes Mesh ask `_service { sdl }` rather than introspect (which production turns off).
 */
export async function composeSupergraph(dir: string, subgraphs: readonly SubgraphSource[]): Promise<string> {
  const output = join(dir, 'supergraph.graphql');
  const sources = subgraphs.map(
    (subgraph) =>
      `{ sourceHandler: loadGraphQLHTTPSubgraph(${JSON.stringify(subgraph.name)}, ${JSON.stringify({
        endpoint: subgraph.url,
        federation: true,
        schemaHeaders: subgraph.headers ?? {},
      })}) }`,
  );
  const config = [
    `import { defineConfig, loadGraphQLHTTPSubgraph } from ${JSON.stringify(composeCliUrl())};`,
    `export const composeConfig = defineConfig({ output: ${JSON.stringify(output)}, subgraphs: [${sources.join(', ')}] });`,
  ].join('\n');
  const configPath = join(dir, 'mesh.config.mjs');
  await writeFile(configPath, config);
  const compose = spawnTool('mesh-compose', ['--config-path', configPath], { cwd: dir });
  const code = await waitForExit(compose, 'mesh-compose');
  if (code !== 0) throw new Error(`mesh-compose exited with ${code}:\n${compose.output()}`);
  return output;
}
