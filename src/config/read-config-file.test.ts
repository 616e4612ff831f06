// The config file's error paths, with real files in a temp dir: every problem locates the fault and never quotes a secret.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problemsOf } from '../../test/support/config-problems.js';
import { loadConfig } from './load-config.js';
import { MAX_CONFIG_FILE_BYTES, MAX_YAML_ALIAS_COUNT, MAX_YAML_NESTING } from './read-config-file.js';

const directory = mkdtempSync(join(tmpdir(), 'fanout-config-file-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let written = 0;
/** Writes `text` to a fresh file named `*.<extension>` and returns its path. */
function fileWith(extension: string, text: string | Buffer): string {
  written += 1;
  const path = join(directory, `config-${written}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const SECRET = 'sk-live-S3CRET-4242';

describe('reading a YAML config file', () => {
  it('reads a YAML file, lets the environment win, and accepts a top-level $schema', () => {
    const path = fileWith(
      'yaml',
      [
        '$schema: ./schema/config.schema.json',
        'server:',
        '  port: 5000',
        'targets:',
        '  crm:',
        '    timeoutMs: 900',
        '    connections: 8',
      ].join('\n'),
    );
    const config = loadConfig({ FANOUT_CONFIG: path, CRM_TIMEOUT_MS: '1200' });
    expect(config.server.port).toBe(5000);
    expect(config.targets.crm).toMatchObject({ timeoutMs: 1200, connections: 8 });
    expect(config).not.toHaveProperty('$schema');
  });

  it('accepts .yml and an upper-case extension', () => {
    expect(loadConfig({ FANOUT_CONFIG: fileWith('yml', 'server: { port: 5001 }') }).server.port).toBe(5001);
    expect(loadConfig({ FANOUT_CONFIG: fileWith('YAML', 'server: { port: 5002 }') }).server.port).toBe(5002);
  });

  it('reports a YAML syntax error by line and column, never quoting the line', () => {
    const path = fileWith(
      'yaml',
      ['server:', '  port: 4000', 'targets:', '  crm:', `    apiKey: "${SECRET}`].join('\n'),
    );
    const problems = problemsOf({ FANOUT_CONFIG: path });
    expect(problems).toEqual([
      `FANOUT_CONFIG: ${path}: invalid YAML at line 5, column 33: a missing closing quote, bracket or ":"`,
    ]);
  });

  it('reports bad indentation where it happens', () => {
    const path = fileWith('yaml', ['server:', '  port: 4000', ' host: 0.0.0.0'].join('\n'));
    expect(problemsOf({ FANOUT_CONFIG: path })[0]).toMatch(
      new RegExp(`^FANOUT_CONFIG: ${path}: invalid YAML at line 3, column \\d+: `),
    );
  });

  it('refuses a key that appears twice in one mapping, naming its line', () => {
    const path = fileWith(
      'yaml',
      ['targets:', '  crm:', '    timeoutMs: 900', '    timeoutMs: 1200'].join('\n'),
    );
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: invalid YAML at line 4, column 5: a key that appears twice in the same mapping`,
    ]);
  });

  it('lets anchors share settings between targets, within the alias budget', () => {
    const path = fileWith(
      'yaml',
      ['targets:', '  inventory: &shared', '    timeoutMs: 750', '    maxAttempts: 2', '  crm: *shared'].join(
        '\n',
      ),
    );
    const config = loadConfig({ FANOUT_CONFIG: path });
    expect(config.targets.crm).toMatchObject({ timeoutMs: 750, maxAttempts: 2 });
    expect(config.targets.inventory).toMatchObject({ timeoutMs: 750, maxAttempts: 2 });
  });

  it('refuses a "billion laughs" file instead of expanding it', () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level <= 9; level += 1) {
      const previous = `*a${level - 1}`;
      lines.push(`a${level}: &a${level} [${Array(10).fill(previous).join(', ')}]`);
    }
    const path = fileWith('yaml', lines.join('\n'));
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: invalid YAML: more than ${MAX_YAML_ALIAS_COUNT} alias (*name) expansions`,
    ]);
  });

  it('names the top level a YAML file has when it is not a mapping', () => {
    const cases: [string, string][] = [
      ['- port: 4000\n- host: x\n', 'a list'],
      ['just text\n', 'a string'],
      ['# only a comment\n', 'an empty document'],
      ['', 'an empty document'],
    ];
    for (const [text, got] of cases) {
      const path = fileWith('yaml', text);
      expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
        `FANOUT_CONFIG: ${path}: the top level must be a mapping (key: value lines), got ${got}`,
      ]);
    }
  });

  it('refuses more than one YAML document', () => {
    const path = fileWith('yaml', 'server:\n  port: 1\n---\nserver:\n  port: 2\n');
    expect(problemsOf({ FANOUT_CONFIG: path })[0]).toMatch(
      /invalid YAML at line 3, column 1: more than one document/,
    );
  });
});

describe('reading a JSON config file', () => {
  it('reports a JSON syntax error by line and column, never quoting the text', () => {
    const path = fileWith(
      'json',
      ['{', '  "targets": {', `    "crm": { "apiKey": ${SECRET} }`, '  }', '}'].join('\n'),
    );
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: invalid JSON at line 3, column 24`,
    ]);
  });

  it('locates a trailing comma, an unclosed object and trailing text', () => {
    const cases: [string, string][] = [
      ['{"server": {"port": 4000,}}', 'line 1, column 26'],
      ['{"server": {"port": 4000}', 'line 1, column 26'],
      ['{"server": {}}\n{}', 'line 2, column 1'],
      ['{"a": "line\nbreak"}', 'line 1, column 12'],
      ['{"a": 01}', 'line 1, column 8'],
    ];
    for (const [text, where] of cases) {
      const path = fileWith('json', text);
      expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
        `FANOUT_CONFIG: ${path}: invalid JSON at ${where}`,
      ]);
    }
  });

  it('names the top level a JSON file has when it is not an object', () => {
    for (const [text, got] of [
      ['[1, 2]', 'an array'],
      ['null', 'null'],
      ['"text"', 'a string'],
      ['42', 'a number'],
    ]) {
      const path = fileWith('json', text as string);
      expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
        `FANOUT_CONFIG: ${path}: the top level must be an object ({ ... }), got ${got}`,
      ]);
    }
  });

  it('reads a file that starts with a byte-order mark', () => {
    const path = fileWith('json', '\uFEFF{"server": {"port": 5003}}');
    expect(loadConfig({ FANOUT_CONFIG: path }).server.port).toBe(5003);
  });
});

describe('fields of the config file', () => {
  it('names an unknown nested field by its full path and suggests the field it resembles', () => {
    const path = fileWith(
      'yaml',
      ['targets:', '  crm:', '    apikey: placeholder', '    timout: 5'].join('\n'),
    );
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `targets.crm.apikey (in ${path}): unknown field — did you mean apiKey?`,
      `targets.crm.timout (in ${path}): unknown field — did you mean timeoutMs?`,
    ]);
  });

  it('refuses unknown fields in every section, at the top level too, with no suggestion when nothing is close', () => {
    const path = fileWith(
      'json',
      JSON.stringify({ serverz: {}, server: { prot: 1 }, demo: { x: 1 }, auth: { jwt: { issuerr: 'i' } } }),
    );
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `server.prot (in ${path}): unknown field — did you mean port?`,
      `auth.jwt.issuerr (in ${path}): unknown field — did you mean issuer?`,
      `demo.x (in ${path}): unknown field`,
      `serverz (in ${path}): unknown field — did you mean server?`,
    ]);
  });

  it('refuses a $schema that is not a string and any other top-level $ key', () => {
    const wrongType = fileWith('json', '{"$schema": 1}');
    expect(problemsOf({ FANOUT_CONFIG: wrongType })).toEqual([
      `FANOUT_CONFIG: ${wrongType}: $schema: expected a string (the JSON Schema's path or URL)`,
    ]);
    const other = fileWith('json', '{"$id": "x"}');
    expect(problemsOf({ FANOUT_CONFIG: other })).toEqual([`$id (in ${other}): unknown field`]);
  });

  it('treats a __proto__ key as an unknown field, not as a prototype', () => {
    const path = fileWith('json', '{"__proto__": {"env": "production"}}');
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([`__proto__ (in ${path}): unknown field`]);
    const yaml = fileWith('yaml', '__proto__:\n  env: production\n');
    expect(problemsOf({ FANOUT_CONFIG: yaml })).toEqual([`__proto__ (in ${yaml}): unknown field`]);
  });
});

describe('keys without a value', () => {
  it('treats a key with no value as unset, so its default applies', () => {
    const path = fileWith(
      'yaml',
      ['server:', '  port:', 'trustedDocuments:', '  # manifest: ./x.json', 'demo:'].join('\n'),
    );
    const config = loadConfig({ FANOUT_CONFIG: path });
    expect(config.server.port).toBe(4000);
    expect(config.trustedDocuments.manifest).toBeUndefined();
    const json = fileWith('json', '{"server": {"port": null}, "log": null}');
    expect(loadConfig({ FANOUT_CONFIG: json }).server.port).toBe(4000);
  });
});

describe('the config file itself', () => {
  it('refuses nesting too deep to read instead of crashing', () => {
    const depth = 150_000;
    const path = fileWith('json', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([`FANOUT_CONFIG: ${path}: nesting too deep to read`]);
    const flow = fileWith('yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const tooDeep = `nested more than ${MAX_YAML_NESTING} levels deep`;
    expect(problemsOf({ FANOUT_CONFIG: flow })).toEqual([
      `FANOUT_CONFIG: ${flow}: invalid YAML at line 1: ${tooDeep}`,
    ]);
    const sequences = fileWith('yaml', `server:\n  port: 1\n${'- '.repeat(200_000)}x`);
    expect(problemsOf({ FANOUT_CONFIG: sequences })).toEqual([
      `FANOUT_CONFIG: ${sequences}: invalid YAML at line 3: ${tooDeep}`,
    ]);
    const indented = fileWith(
      'yaml',
      Array.from({ length: 1400 }, (_, level) => `${' '.repeat(level)}k:`).join('\n'),
    );
    expect(problemsOf({ FANOUT_CONFIG: indented })[0]).toMatch(
      new RegExp(`invalid YAML at line \\d+: ${tooDeep}$`),
    );
  });

  it('refuses a file larger than the cap before parsing it', () => {
    const path = fileWith('yaml', `# ${'x'.repeat(MAX_CONFIG_FILE_BYTES)}\n`);
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: larger than ${MAX_CONFIG_FILE_BYTES} bytes`,
    ]);
  });

  it('names a file that is missing, a directory, a FIFO, or not UTF-8', () => {
    const missing = join(directory, 'missing.yaml');
    expect(problemsOf({ FANOUT_CONFIG: missing })).toEqual([
      `FANOUT_CONFIG: ${missing}: cannot read the file (ENOENT)`,
    ]);
    const folder = join(directory, 'folder.yaml');
    mkdirSync(folder);
    expect(problemsOf({ FANOUT_CONFIG: folder })).toEqual([`FANOUT_CONFIG: ${folder}: not a regular file`]);
    const fifo = join(directory, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(problemsOf({ FANOUT_CONFIG: fifo })).toEqual([`FANOUT_CONFIG: ${fifo}: not a regular file`]);
    const latin1 = fileWith('yaml', Buffer.from([0x6c, 0x6f, 0x67, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(problemsOf({ FANOUT_CONFIG: latin1 })).toEqual([`FANOUT_CONFIG: ${latin1}: not UTF-8 text`]);
  });

  it('names an extension it cannot read', () => {
    const path = fileWith('toml', 'port = 4000');
    expect(problemsOf({ FANOUT_CONFIG: path })).toEqual([
      `FANOUT_CONFIG: ${path}: unknown file type (name it .yaml, .yml or .json)`,
    ]);
  });
});

describe('secrets in a broken config file', () => {
  it('never echoes a secret value in any error', () => {
    const broken: [string, string][] = [
      ['yaml', `targets:\n  crm:\n    apiKey: "${SECRET}\n`],
      ['yaml', `targets:\n  crm:\n    apiKey: ${SECRET}\n    apiKey: ${SECRET}\n`],
      ['yaml', `targets:\n  crm:\n\tapiKey: ${SECRET}\n`],
      ['yaml', `targets:\n  crm:\n    apiKey: [${SECRET}]\n`],
      ['yaml', `targets:\n  crm:\n    apiKey: !secret ${SECRET}\n`],
      ['yaml', `targets:\n  crm:\n    apiKey: *${SECRET}\n`],
      ['yaml', `redis:\n  url: http://user:${SECRET}@redis.example\n`],
      ['yaml', `auth:\n  apiKeys:\n    - clientId: a\n      keySha256: ${SECRET}\n`],
      ['yaml', `- ${SECRET}\n`],
      ['yaml', `${SECRET}\n`],
      ['json', `{"targets": {"inventory": {"token": ${SECRET}}}}`],
      ['json', `{"targets": {"inventory": {"token": ["${SECRET}"]}}}`],
      ['json', `{"targets": {"inventory": {"token": "${SECRET}"`],
      ['json', `["${SECRET}"]`],
      ['json', `"${SECRET}"`],
    ];
    for (const [extension, text] of broken) {
      const problems = problemsOf({ FANOUT_CONFIG: fileWith(extension, text) });
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) expect(problem).not.toContain('S3CRET');
    }
  });
});
