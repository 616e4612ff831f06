// Deep, bounded, copy-on-write redaction of secret-named properties in values about to be logged.

/** What a secret's value becomes in a log line. */
export const REDACTED = '[redacted]';

/**
 * Property names whose values never reach a log line, case-insensitive; `-` or `_` may separate the words
 * (`apiKey`, `api_key`, `X-API-Key`, `Set-Cookie`, `IDEMPOTENCY_KEY` all match).
 */
export const SECRET_PROPERTY_NAME =
  /^(?:token|api[-_]?key|x[-_]?api[-_]?key|authorization|idempotency[-_]?key|(?:set[-_]?)?cookie|password|secret)$/i;

/** Objects nested deeper than this below a log line's top-level value are replaced, not searched. */
export const MAX_REDACTION_DEPTH = 10;

/** Objects searched per top-level value; past this, the rest are replaced, not searched. */
export const MAX_REDACTION_NODES = 10_000;

const CIRCULAR = '[Circular]';
const TOO_DEEP = '[redacted: nested too deep to search]';
const TOO_LARGE = '[redacted: too large to search]';
const FAILED = '[redacted: could not be searched]';

interface Walk {
  /** Objects on the path from the top-level value to the current one, to spot cycles. */
  readonly ancestors: object[];
  visited: number;
}

/** Whether a property with this name holds a secret. */
export function isSecretName(name: unknown): boolean {
  return typeof name === 'string' && SECRET_PROPERTY_NAME.test(name);
}

/**
 * Returns `value` with every secret-named property, at any depth and inside arrays, replaced by
 * {@link REDACTED}. Searches what `JSON.stringify` would print (own enumerable properties, `toJSON`
 * results). Never mutates its input: returns the same reference when nothing needed redacting, else a
 * copy of only the branches that did. Cycles become `[Circular]`; objects past the depth or size bound
 * are replaced by a marker, so nothing unsearched is printed.
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    return redactValue(value, 0, { ancestors: [], visited: 0 });
  } catch {
    // A getter or toJSON that throws: print nothing of the value rather than something unsearched.
    return FAILED;
  }
}

/**
 * Shallow pass over a log line's or a child logger's bindings' own properties: secret-named ones are
 * replaced; the values of the others are left for {@link redactSecrets}. Returns `line` itself when none is.
 */
export function redactTopLevel<T extends object>(line: T): T {
  const source = line as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key) || source[key] === undefined || !isSecretName(key)) continue;
    copy ??= { ...source };
    copy[key] = REDACTED;
  }
  return (copy ?? line) as T;
}

/** Private: one step of the walk; returns `value` itself when nothing below it changed. */
function redactValue(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (walk.ancestors.includes(value)) return CIRCULAR;
  if (depth > MAX_REDACTION_DEPTH) return TOO_DEEP;
  if (++walk.visited > MAX_REDACTION_NODES) return TOO_LARGE;
  const json = jsonForm(value);
  if (typeof json !== 'object' || json === null) return value;
  walk.ancestors.push(value);
  const redacted = Array.isArray(json) ? redactArray(json, depth, walk) : redactObject(json, depth, walk);
  walk.ancestors.pop();
  return redacted === json ? value : redacted;
}

function redactArray(items: readonly unknown[], depth: number, walk: Walk): unknown {
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const redacted = redactValue(item, depth + 1, walk);
    if (redacted === item) continue;
    copy ??= [...items];
    copy[index] = redacted;
  }
  return copy ?? items;
}

function redactObject(object: object, depth: number, walk: Walk): unknown {
  const source = object as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const property = source[key];
    if (property === undefined) continue;
    const redacted = isSecretName(key) ? REDACTED : redactValue(property, depth + 1, walk);
    if (redacted === property) continue;
    copy ??= { ...source };
    copy[key] = redacted;
  }
  return copy ?? object;
}

/** Private: what JSON.stringify prints for an object with `toJSON` (Date, Buffer, URL, ...); else the object. */
function jsonForm(value: object): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}
