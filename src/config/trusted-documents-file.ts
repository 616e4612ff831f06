// The trusted-documents manifest (client-preset's persisted-documents.json), read and verified once while the configuration is validated.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type DocumentNode, Kind, parse } from 'graphql';
import { z } from 'zod';

/** A manifest key: the GraphQL-over-HTTP `sha256:<hex>` id client-preset writes, or bare hex. */
const MANIFEST_KEY = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** Problems reported before the rest are counted: a wholly wrong file would otherwise print thousands. */
const MAX_LISTED_PROBLEMS = 10;

/** The lower-case hex SHA-256 of a document's exact text: its id in the manifest and in APQ requests. */
export function documentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The operations the gateway runs when trusted documents are on, keyed by the SHA-256 of their text.
 * Printing or logging the config (or JSON.stringify) shows only the manifest's path.
 */
export class TrustedDocuments {
  readonly #byHash: ReadonlyMap<string, string>;

  constructor(
    readonly path: string,
    byHash: ReadonlyMap<string, string>,
  ) {
    this.#byHash = byHash;
  }

  /** The text of the document whose lower-case hex SHA-256 is `hash`, if the manifest has it. */
  get(hash: string): string | undefined {
    return this.#byHash.get(hash);
  }

  has(hash: string): boolean {
    return this.#byHash.has(hash);
  }

  get size(): number {
    return this.#byHash.size;
  }

  toJSON(): string {
    return this.path;
  }
}

/**
 * A path to a manifest — a JSON object `{ "sha256:<hex>": "<document>" }` — read at once. Each entry must
 * be an executable document with an operation whose SHA-256 is its key; an unreadable, empty or wrong
 * file is a validation issue (one per bad entry), never an empty allow-list.
 */
export function trustedDocumentsFile() {
  return z
    .string()
    .min(1, { error: 'expected the path of a trusted-documents manifest' })
    .transform((path, context) => {
      const read = readManifest(path);
      if (read.ok) return new TrustedDocuments(path, read.documents);
      for (const message of read.problems) context.issues.push({ code: 'custom', input: path, message });
      return z.NEVER;
    });
}

type ReadManifest = { ok: true; documents: Map<string, string> } | { ok: false; problems: string[] };

/** Private: the verified documents by hash, or every problem found (the first few of many). */
function readManifest(path: string): ReadManifest {
  const object = readJsonObject(path);
  if (typeof object === 'string') return { ok: false, problems: [object] };
  const entries = Object.entries(object);
  if (entries.length === 0) return { ok: false, problems: ['the manifest holds no documents'] };
  const documents = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, value] of entries) {
    const entry = checkEntry(key, value);
    if (entry.ok) documents.set(entry.hash, entry.text);
    else problems.push(entry.problem);
  }
  if (problems.length === 0) return { ok: true, documents };
  const more = problems.length - MAX_LISTED_PROBLEMS;
  if (more > 0) problems.splice(MAX_LISTED_PROBLEMS, more, `and ${more} more bad entries`);
  return { ok: false, problems };
}

/** Private: the file as a JSON object, or what is wrong with it. */
function readJsonObject(path: string): Record<string, unknown> | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `the file is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object of { "sha256:<hash>": "<document>" } (client-preset\'s persisted-documents.json)';
  }
  return value as Record<string, unknown>;
}

type CheckedEntry = { ok: true; hash: string; text: string } | { ok: false; problem: string };

/** Private: one entry as a sound trusted document, or what is wrong with it. */
function checkEntry(key: string, value: unknown): CheckedEntry {
  const hash = MANIFEST_KEY.exec(key)?.[1]?.toLowerCase();
  if (!hash) {
    return {
      ok: false,
      problem: `key "${key.slice(0, 80)}" is not a SHA-256 document id (expected sha256:<64 hex digits>; codegen's persistedDocuments.hashAlgorithm must be sha256)`,
    };
  }
  if (typeof value !== 'string') return { ok: false, problem: `document ${key} is not a string` };
  let document: DocumentNode;
  try {
    document = parse(value);
  } catch (error) {
    return { ok: false, problem: `document ${key} does not parse (${(error as Error).message})` };
  }
  const kinds = document.definitions.map((definition) => definition.kind);
  if (!kinds.includes(Kind.OPERATION_DEFINITION) || !kinds.every(isExecutableKind)) {
    return { ok: false, problem: `document ${key} is not an executable document with an operation` };
  }
  const actual = documentHash(value);
  if (actual !== hash) {
    return {
      ok: false,
      problem: `document ${key} does not match its hash (its SHA-256 is ${actual}): regenerate the manifest`,
    };
  }
  return { ok: true, hash, text: value };
}

function isExecutableKind(kind: Kind): boolean {
  return kind === Kind.OPERATION_DEFINITION || kind === Kind.FRAGMENT_DEFINITION;
}
