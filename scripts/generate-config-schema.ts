// Writes the config's JSON Schema, the docs table and .env.example from the zod schema; with --check, fails when a committed copy is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfigJsonSchema } from './config-json-schema.js';
import { renderEnvExample, renderVariableTable, replaceGeneratedTable } from './config-reference.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each generated file (relative to the repository root) and its content given the current one. */
function generatedFiles(): { path: string; render: (current: string) => string }[] {
  const schema = buildConfigJsonSchema();
  return [
    { path: 'schema/config.schema.json', render: () => formatJson('schema/config.schema.json', schema) },
    { path: '.env.example', render: () => renderEnvExample(schema) },
    {
      path: 'docs/configuration.md',
      render: (current) => replaceGeneratedTable(current, renderVariableTable(schema)),
    },
  ];
}

/** Private: formatted by Biome as `npm run lint` expects, so the committed file passes the lint too. */
function formatJson(path: string, value: unknown): string {
  return execFileSync(join(root, 'node_modules/.bin/biome'), ['format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: `${JSON.stringify(value, null, 2)}\n`,
    encoding: 'utf8',
  });
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const file of generatedFiles()) {
  const path = join(root, file.path);
  const current = readOrEmpty(path);
  const next = file.render(current);
  if (next === current) continue;
  stale.push(file.path);
  if (!check) writeFileSync(path, next);
}
if (check && stale.length > 0) {
  process.stderr.write(
    `Stale generated config files (run npm run config:schema and commit): ${stale.join(', ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(
  check ? 'Config schema and docs are current.\n' : `Updated: ${stale.join(', ') || 'nothing'}\n`,
);
