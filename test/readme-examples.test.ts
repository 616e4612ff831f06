// The README's commands run as written: every shell block is a known command, and every example script prints what the docs say.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedGateway, spawnGateway, waitForReady } from './support/spawn-gateway.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = `${ROOT}examples/`;
const MANIFEST = `${EXAMPLES}client/__generated__/persisted-documents.json`;
const DOCS = [
  'README.md',
  ...readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
/** The example that leaves the demo CRM's circuit open for a while runs after every other one. */
const RUNS_LAST = 'circuit-breaker.sh';

interface FencedBlock {
  readonly lang: string;
  readonly text: string;
}

/** Private: the fenced blocks of a Markdown file, with a `heading` pseudo-block for each heading between them. */
function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ lang: open.lang, text: open.lines.join('\n') });
        open = undefined;
      } else open.lines.push(line);
    } else if (line.startsWith('```')) open = { lang: line.slice(3).trim().split(/\s+/)[0] ?? '', lines: [] };
    else if (/^#{1,6} /.test(line)) blocks.push({ lang: 'heading', text: line });
  }
  return blocks;
}

/** Private: the commands of a shell block: continuations joined, comments and blank lines dropped. */
function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

const packageScripts = Object.keys(
  (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts,
);

/** Private: the example script a command runs (`examples/x.sh` → `x.sh`), or undefined for an npm command. */
function exampleScriptOf(command: string): string | undefined {
  const withoutEnv = command.replace(/^(?:[A-Z_][A-Z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)*/, '');
  return /^examples\/([\w-]+\.sh)$/.exec(withoutEnv)?.[1];
}

/** Private: whether this test knows how to run the command: an npm command or script, or an example script. */
function isKnownCommand(command: string): boolean {
  const withoutEnv = command.replace(/^(?:[A-Z_][A-Z0-9_]*=(?:"[^"]*"|'[^']*'|\S*)\s+)*/, '');
  const script = exampleScriptOf(command);
  if (script) {
    accessSync(`${EXAMPLES}${script}`, constants.X_OK);
    return true;
  }
  if (/^npm (ci|start|test)$/.test(withoutEnv)) return true;
  // The production sequence: test/production-build.test.ts runs it (the Dockerfile's steps) for real.
  if (/^(npm prune --omit=dev|node dist\/main\.js)$/.test(withoutEnv)) return true;
  const run = /^npm run (?:-s )?([\w:-]+)(?: -- .*)?$/.exec(withoutEnv);
  return run?.[1] !== undefined && packageScripts.includes(run[1]);
}

interface DocumentedExample {
  readonly script: string;
  readonly where: string;
  /** The output blocks after the command, joined. */
  readonly output: string;
  /** GraphQL blocks shown between the command and its output: the documents the script sends. */
  readonly requests: string[];
}

/** Private: each example script run in a shell block of README.md or docs/, with the blocks that follow it. */
function documentedExamples(): DocumentedExample[] {
  const examples: DocumentedExample[] = [];
  for (const file of DOCS) {
    const blocks = fencedBlocks(readFileSync(`${ROOT}${file}`, 'utf8'));
    blocks.forEach((block, index) => {
      if (block.lang !== 'sh' && block.lang !== 'bash') return;
      const commands = commandsOf(block.text);
      const script = commands.length === 1 && commands[0] ? exampleScriptOf(commands[0]) : undefined;
      if (!script) return;
      const following: FencedBlock[] = [];
      for (const next of blocks.slice(index + 1)) {
        if (['sh', 'bash', 'heading'].includes(next.lang)) break;
        following.push(next);
      }
      examples.push({
        script,
        where: file,
        output: following
          .filter((next) => ['text', 'http', 'json', 'console'].includes(next.lang))
          .map((next) => next.text)
          .join('\n'),
        requests: following.filter((next) => next.lang === 'graphql').map((next) => next.text),
      });
    });
  }
  return examples;
}

/**
 * Private: what an example's output must show, in order: HTTP statuses, typenames, statuses, error and
 * failure codes, retryable/replayed flags, attempts and the replay header. Ids, times and counts vary.
 */
function factsOf(output: string): string[] {
  const pattern =
    /"(__typename|status|code)":\s*"([^"]+)"|"(retryable|replayed)":\s*(true|false)|"(attempts)":\s*(\d+)|^(HTTP)\/1\.1 (\d{3})|^(idempotent-replayed): (\w+)/gm;
  return [...output.matchAll(pattern)].map((match) => match.slice(1).filter(Boolean).join(' '));
}

const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('README command blocks', () => {
  it('are all commands this test knows how to run: npm commands and scripts, or examples/*.sh', () => {
    const blocks = fencedBlocks(readFileSync(`${ROOT}README.md`, 'utf8')).filter(
      (block) => block.lang === 'sh' || block.lang === 'bash',
    );
    const commands = blocks.flatMap((block) => commandsOf(block.text));

    expect(commands.length).toBeGreaterThan(5);
    expect(commands.filter((command) => !isKnownCommand(command))).toEqual([]);
  });

  it('show every example script, with its output, and only documents the scripts send', () => {
    const documented = documentedExamples();
    const scripts = readdirSync(EXAMPLES).filter((name) => name.endsWith('.sh') && name !== 'common.sh');

    expect(new Set(documented.map((example) => example.script))).toEqual(new Set(scripts));
    for (const example of documented) {
      const source = squeeze(
        readFileSync(`${EXAMPLES}${example.script}`, 'utf8') + readFileSync(`${EXAMPLES}common.sh`, 'utf8'),
      );
      expect(factsOf(example.output), `${example.script} in ${example.where}`).not.toEqual([]);
      for (const request of example.requests) expect(source).toContain(squeeze(request));
    }
  });
});

describe('example scripts against a real gateway with demo upstreams', () => {
  const apiKey = `fgk_${randomBytes(24).toString('base64url')}`;
  const gateways: SpawnedGateway[] = [];
  const urls = { open: '', apiKeys: '', trustedDocuments: '' };

  beforeAll(async () => {
    const open = spawnGateway({});
    const apiKeys = spawnGateway({
      AUTH_API_KEYS: `shop:${createHash('sha256').update(apiKey).digest('hex')}:orders:write`,
    });
    const trustedDocuments = spawnGateway({ FANOUT_TRUSTED_DOCUMENTS: MANIFEST });
    gateways.push(open, apiKeys, trustedDocuments);
    [urls.open, urls.apiKeys, urls.trustedDocuments] = await Promise.all([
      waitForReady(open, 120_000),
      waitForReady(apiKeys, 120_000),
      waitForReady(trustedDocuments, 120_000),
    ]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all(
      gateways.map(async (gateway) => {
        if (gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
        await gateway.exited;
      }),
    );
  }, 60_000);

  /** Private: the gateway an example needs, and the environment it runs with. */
  function environmentFor(script: string): Record<string, string> {
    const base = { PATH: process.env.PATH ?? '' };
    if (script === 'api-key.sh') return { ...base, GATEWAY_URL: urls.apiKeys, API_KEY: apiKey };
    if (script === 'trusted-document.sh') return { ...base, GATEWAY_URL: urls.trustedDocuments };
    return { ...base, GATEWAY_URL: urls.open };
  }

  const examples = documentedExamples().sort(
    (a, b) => Number(a.script === RUNS_LAST) - Number(b.script === RUNS_LAST),
  );
  it.each(examples.map((example) => [example.script, example.where, example] as const))(
    '%s exits 0 and prints what %s says it prints',
    async (script, _where, example) => {
      const { stdout } = await promisify(execFile)('bash', [`${EXAMPLES}${script}`], {
        cwd: ROOT,
        env: environmentFor(script),
        timeout: 60_000,
      });

      expect(factsOf(stdout)).toEqual(factsOf(example.output));
    },
    90_000,
  );
});
