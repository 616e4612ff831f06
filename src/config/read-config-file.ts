// Reads the config file FANOUT_CONFIG names — YAML or JSON by extension — into a plain tree, with errors that never quote its text.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { Lexer, parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from './config-error.js';
import { jsonSyntaxErrorOffset, positionAt } from './json-syntax-error.js';

/** The largest config file read; a bigger one is refused before it is parsed. */
export const MAX_CONFIG_FILE_BYTES = 1_048_576;

/**
 * Alias expansions a YAML file may make (the yaml package's maxAliasCount): enough for anchors that
 * share settings between targets, far too few for a "billion laughs" file to hang start-up.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * How deep a YAML file may nest, counting each column of indentation, each `-`, `?` and `:` indicator
 * and each open `[` or `{` (a real config needs about 12). The yaml package recurses per level, and near
 * the stack's end V8 can abort the whole process (out of memory in its regexp compiler) instead of throwing.
 */
export const MAX_YAML_NESTING = 128;

/** The top-level key editors use to find the JSON Schema; allowed in the file and dropped before validation. */
export const SCHEMA_KEY = '$schema';

type RawTree = Record<string, unknown>;
type Format = 'YAML' | 'JSON';

/** Private: what each yaml error code means, in words that never repeat the file's text. */
const YAML_PROBLEMS: Partial<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: 'an alias (*name) cannot carry a tag or anchor',
  BAD_ALIAS: 'an alias (*name) that names no anchor defined before it',
  BAD_DQ_ESCAPE: 'a bad escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_SCALAR_START: 'a value that cannot start with this character (quote it)',
  BLOCK_AS_IMPLICIT_KEY: 'a nested block used as a key',
  BLOCK_IN_FLOW: 'block syntax inside [ ] or { }',
  DUPLICATE_KEY: 'a key that appears twice in the same mapping',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a missing closing quote, bracket or ":"',
  MULTILINE_IMPLICIT_KEY: 'a key that spans more than one line',
  MULTIPLE_ANCHORS: 'two anchors on one value',
  MULTIPLE_DOCS: 'more than one document (a second ---)',
  MULTIPLE_TAGS: 'two tags on one value',
  RESOURCE_EXHAUSTION: 'nesting too deep to read',
  TAB_AS_INDENT: 'a tab used for indentation (use spaces)',
  TAG_RESOLVE_FAILED: 'a tag (!name) this loader does not know',
  UNEXPECTED_TOKEN: 'unexpected text',
};

/**
 * Reads `path` as YAML (`.yaml`, `.yml`) or JSON (`.json`); its top level must be a mapping. A
 * top-level `$schema` string is allowed (editors use it) and dropped; a key whose value is null is unset. Duplicate YAML keys, excessive
 * YAML aliases and files over MAX_CONFIG_FILE_BYTES are refused.
 * @throws ConfigError whose one problem names FANOUT_CONFIG, the file and — for syntax errors — the line and column.
 */
export function readConfigFile(path: string): RawTree {
  const fail = (problem: string): never => {
    throw new ConfigError([`FANOUT_CONFIG: ${path}: ${problem}`]);
  };
  const format = formatOf(path) ?? fail('unknown file type (name it .yaml, .yml or .json)');
  const text = readBoundedText(path, fail);
  const value = format === 'YAML' ? parseYaml(text, fail) : parseJson(text, fail);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const expected = format === 'YAML' ? 'a mapping (key: value lines)' : 'an object ({ ... })';
    fail(`the top level must be ${expected}, got ${kindOf(value, format)}`);
  }
  const tree = withoutNullsWithinStack(value as RawTree, fail);
  if (Object.hasOwn(tree, SCHEMA_KEY)) {
    if (typeof tree[SCHEMA_KEY] !== 'string')
      fail(`${SCHEMA_KEY}: expected a string (the JSON Schema's path or URL)`);
    delete tree[SCHEMA_KEY];
  }
  return tree;
}

function formatOf(path: string): Format | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'YAML';
  if (extension === '.json') return 'JSON';
  return undefined;
}

/** Private: the file's UTF-8 text, read no further than the size cap (a device or a growing file cannot exhaust memory). */
function readBoundedText(path: string, fail: (problem: string) => never): string {
  let descriptor: number;
  try {
    // Non-blocking, so a FIFO in the file's place is refused below instead of waiting for a writer forever.
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  try {
    if (!fstatSync(descriptor).isFile()) fail('not a regular file');
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_FILE_BYTES) fail(`larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
    }
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    return text.replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof TypeError) return fail('not UTF-8 text');
    return fail(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  } finally {
    closeSync(descriptor);
  }
}

function parseYaml(text: string, fail: (problem: string) => never): unknown {
  const deepLine = firstLineNestedDeeperThan(text, MAX_YAML_NESTING);
  if (deepLine !== undefined)
    fail(`invalid YAML at line ${deepLine}: nested more than ${MAX_YAML_NESTING} levels deep`);
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, version: '1.2' });
  const [error] = [...document.errors, ...document.warnings];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    fail(
      `invalid YAML${where}: ${YAML_PROBLEMS[error.code] ?? error.code.toLowerCase().replaceAll('_', ' ')}`,
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws a ReferenceError for excessive aliases; its message names no file content.
    if (error instanceof ReferenceError)
      return fail(`invalid YAML: more than ${MAX_YAML_ALIAS_COUNT} alias (*name) expansions`);
    if (error instanceof RangeError) return fail('nesting too deep to read');
    throw error;
  }
}

/**
 * Private: the first line whose nesting (indentation, block indicators and open flow collections) passes
 * `limit`, read with the yaml package's lexer, which is iterative. An upper bound of the real depth.
 */
function firstLineNestedDeeperThan(text: string, limit: number): number | undefined {
  let line = 1;
  let lineDepth = 0;
  let flowDepth = 0;
  let previous = '';
  for (const token of new Lexer().lex(text)) {
    const atLineStart = previous === '' || previous === '\n';
    // A scalar's text follows the lexer's \x1f marker: a "-" there is a value, not an indicator.
    if (previous !== '\x1f') {
      if (atLineStart && /^ +$/.test(token)) lineDepth += token.length;
      else if (token === '-' || token === '?' || token === ':') lineDepth += 1;
      else if (token === '[' || token === '{') flowDepth += 1;
      else if (token === ']' || token === '}') flowDepth = Math.max(0, flowDepth - 1);
    }
    if (lineDepth + flowDepth > limit) return line;
    if (token === '\n') lineDepth = 0;
    line += token.split('\n').length - 1;
    previous = token;
  }
  return undefined;
}

function parseJson(text: string, fail: (problem: string) => never): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // V8's message quotes the text around the fault, which may be a credential: report the position only.
    const offset = jsonSyntaxErrorOffset(text);
    if (offset === undefined) return fail('invalid JSON');
    const { line, column } = positionAt(text, offset);
    return fail(`invalid JSON at line ${line}, column ${column}`);
  }
}

function withoutNullsWithinStack(tree: RawTree, fail: (problem: string) => never): RawTree {
  try {
    return withoutNulls(tree);
  } catch (error) {
    // JSON.parse reads nesting of any depth; walking it recursively can run out of stack.
    if (error instanceof RangeError) return fail('nesting too deep to read');
    throw error;
  }
}

/**
 * Private: a key with no value (`section:` whose fields are all commented out, or `null`) means the
 * field is unset, as if the key were absent, so its default applies.
 */
function withoutNulls(tree: RawTree): RawTree {
  const result: RawTree = {};
  for (const [key, child] of Object.entries(tree)) {
    if (child === null) continue;
    const isMapping = typeof child === 'object' && !Array.isArray(child);
    // defineProperty: a "__proto__" key stays an own (unknown) field instead of becoming the prototype.
    Object.defineProperty(result, key, {
      value: isMapping ? withoutNulls(child as RawTree) : child,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** Private: names a non-mapping top level in the file's own vocabulary. */
function kindOf(value: unknown, format: Format): string {
  if (value === null || value === undefined) return format === 'YAML' ? 'an empty document' : 'null';
  if (Array.isArray(value)) return format === 'YAML' ? 'a list' : 'an array';
  return `a ${typeof value}`;
}
