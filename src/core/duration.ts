// Durations written for people ("500ms", "5s", "5m", "2h", "1d") and lists of them, parsed to milliseconds.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A malformed duration; the message names the entry and what was expected, never more of the input. */
export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Parses one duration such as `30m`, `1.5h` or `500ms`.
 * @param where how to name the value in an error, e.g. `retry schedule step 3`
 * @throws DurationError for anything else
 */
export function parseDuration(text: string, where = 'duration'): number {
  const entry = text.trim();
  if (entry === '') throw new DurationError(`${where} is empty`);
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(entry);
  const unitMs = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (!match?.[1] || unitMs === undefined)
    throw new DurationError(
      `${where} "${entry.slice(0, 20)}" is not a duration like 0s, 500ms, 5s, 5m, 2h or 1d`,
    );
  return Math.round(Number(match[1]) * unitMs);
}

/**
 * Parses a comma-separated list of durations (whitespace ignored).
 * @param name how to name the list in an error, e.g. `retry schedule`
 * @throws DurationError naming the bad entry and its position
 */
export function parseDurationList(text: string, name: string, maxEntries: number): number[] {
  if (text.trim() === '') throw new DurationError(`the ${name} is empty: list durations like "0s,5s,5m,2h"`);
  const entries = text.split(',');
  if (entries.length > maxEntries)
    throw new DurationError(`the ${name} has ${entries.length} steps; at most ${maxEntries} are allowed`);
  return entries.map((entry, index) => {
    const where = `${name} step ${index + 1}`;
    if (entry.trim() === '') throw new DurationError(`${where} is empty (two commas in a row?)`);
    return parseDuration(entry, where);
  });
}
