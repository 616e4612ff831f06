// Stable JSON: a serialisation with sorted object keys, so equal bodies give equal fingerprints.

/** Serialises `value` like `JSON.stringify`, but with object keys sorted at every depth. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member !== undefined) parts.push(`${JSON.stringify(key)}:${stableJson(member)}`);
  }
  return `{${parts.join(',')}}`;
}
