// FANOUT_TRUSTED_DOCUMENTS: the manifest is read and verified while the configuration loads, and every fault names the variable.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const GENERATED = fileURLToPath(
  new URL('../../examples/client/__generated__/persisted-documents.json', import.meta.url),
);
const QUERY = 'query Targets { targets { __typename } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trusted-documents-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Private: writes `content` as a manifest file and returns its path. */
function manifestFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(path: string): readonly string[] {
  try {
    loadConfig({ FANOUT_TRUSTED_DOCUMENTS: path });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('a good manifest', () => {
  it('loads the manifest codegen writes and finds each document by the SHA-256 of its text', () => {
    const documents = loadConfig({ FANOUT_TRUSTED_DOCUMENTS: GENERATED }).trustedDocuments.manifest;

    const [[id, text] = []] = Object.entries(
      JSON.parse(readFileSync(GENERATED, 'utf8')) as Record<string, string>,
    );
    expect(documents?.size).toBe(1);
    expect(id).toBe(`sha256:${sha256(text ?? '')}`);
    expect(documents?.get(sha256(text ?? ''))).toBe(text);
  });

  it('accepts bare hex keys as well as sha256:<hex> ones', () => {
    const path = manifestFile('bare.json', { [sha256(QUERY)]: QUERY });
    const documents = loadConfig({ FANOUT_TRUSTED_DOCUMENTS: path }).trustedDocuments.manifest;

    expect(documents?.get(sha256(QUERY))).toBe(QUERY);
  });

  it('shows only the path when the configuration is printed', () => {
    const config = loadConfig({ FANOUT_TRUSTED_DOCUMENTS: GENERATED });

    expect(JSON.parse(JSON.stringify(config.trustedDocuments))).toEqual({ manifest: GENERATED });
  });

  it('leaves trusted documents off when the variable is unset', () => {
    expect(loadConfig({}).trustedDocuments.manifest).toBeUndefined();
  });
});

describe('a bad manifest is a ConfigError naming FANOUT_TRUSTED_DOCUMENTS', () => {
  it('when the file cannot be read', () => {
    expect(problemsOf(join(dir, 'missing.json'))).toEqual([
      expect.stringMatching(/^FANOUT_TRUSTED_DOCUMENTS: cannot read the file \(ENOENT\)/),
    ]);
  });

  it.each([
    ['is not JSON', '{ "sha256:', /the file is not JSON/],
    ['is a JSON array', [QUERY], /expected a JSON object of \{ "sha256:<hash>": "<document>" \}/],
    ['holds no documents', {}, /the manifest holds no documents/],
    [
      'has a sha1 key',
      { [createHash('sha1').update(QUERY).digest('hex')]: QUERY },
      /is not a SHA-256 document id/,
    ],
    ['has a document that does not parse', { [`sha256:${sha256('query {')}`]: 'query {' }, /does not parse/],
    [
      'has a schema instead of an operation',
      { [`sha256:${sha256('type Q { a: Int }')}`]: 'type Q { a: Int }' },
      /not an executable document/,
    ],
    [
      'has a document whose text does not match its hash',
      { [`sha256:${sha256(QUERY)}`]: `${QUERY} ` },
      /does not match its hash/,
    ],
  ])('when the file %s', (name, content, expected) => {
    const problems = problemsOf(manifestFile(`${name.replaceAll(' ', '-')}.json`, content));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^FANOUT_TRUSTED_DOCUMENTS: /);
    expect(problems[0]).toMatch(expected);
  });

  it('listing ten bad entries and counting the rest', () => {
    const entries = Array.from({ length: 25 }, (_, index) => [
      `sha256:${sha256(`${index}`)}`,
      `query Q${index} { x }`,
    ]);
    const problems = problemsOf(manifestFile('many.json', Object.fromEntries(entries)));

    expect(problems).toHaveLength(11);
    expect(problems[10]).toMatch(/and 15 more bad entries/);
  });
});
