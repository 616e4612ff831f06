// Names each unknown field of the config file by its full path, suggesting the known field it was probably meant to be.
import type { z } from 'zod';

/** Keys longer than this are cut in messages: a long unknown key is more likely pasted data than a typo. */
const MAX_SHOWN_KEY_LENGTH = 64;

/**
 * One line per key of an `unrecognized_keys` issue, e.g.
 * `targets.crm.apikey (in /etc/fanout.yaml): unknown field — did you mean apiKey?`.
 * `schema` is the whole config schema; `where` appends the file's name to a path.
 */
export function unknownFieldProblems(
  schema: z.core.$ZodType,
  objectPath: readonly PropertyKey[],
  keys: readonly string[],
  where: (path: string) => string,
): string[] {
  const known = knownFieldsAt(schema, objectPath);
  return keys.map((key) => {
    const shown = key.length > MAX_SHOWN_KEY_LENGTH ? `${key.slice(0, MAX_SHOWN_KEY_LENGTH)}…` : key;
    const path = [...objectPath.map(String), JSON.stringify(shown).slice(1, -1)].join('.');
    const suggestion = closestName(key, known);
    return `${where(path)}: unknown field${suggestion ? ` — did you mean ${suggestion}?` : ''}`;
  });
}

/** The field names the object at `path` accepts, or none when the path leads through a custom parser. */
export function knownFieldsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = unwrap(schema);
  for (const key of path) {
    const shape = shapeOf(node);
    node = shape && typeof key === 'string' ? shape[key] : undefined;
    if (!node) return [];
    node = unwrap(node);
  }
  return Object.keys(shapeOf(node) ?? {});
}

/**
 * The candidate closest to `name` when it is plausibly a typo of it: the same letters in another case,
 * or within graphql-js's "did you mean" edit distance (0.4 × the name's length, plus one).
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.floor(name.length * 0.4) + 1;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const lowerCandidate = candidate.toLowerCase();
    // The distance is at least the length difference: a long pasted key costs nothing to rule out.
    if (Math.abs(lowerCandidate.length - lower.length) > limit) continue;
    const distance = lowerCandidate === lower ? 0 : editDistance(lower, lowerCandidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Private: Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Private: the zod def fields this walk reads; wrappers (default, optional, pipe) lead to what they wrap. */
interface WalkedDef {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly shape?: Record<string, z.core.$ZodType>;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let node = schema;
  for (;;) {
    const def = node._zod.def as WalkedDef;
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (!inner) return node;
    node = inner;
  }
}

function shapeOf(schema: z.core.$ZodType | undefined): Record<string, z.core.$ZodType> | undefined {
  const def = schema?._zod.def as WalkedDef | undefined;
  return def?.type === 'object' ? def.shape : undefined;
}
