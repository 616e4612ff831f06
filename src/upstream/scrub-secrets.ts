// Removes a target's own credentials from text an upstream wrote, before it reaches a client or a log.

const REDACTED = '[redacted]';

/**
 * Builds a scrubber for these secrets: every literal occurrence becomes `[redacted]`. An upstream
 * that echoes the key it received ("bad key abc…") must not turn the gateway into a leak.
 * Empty secrets are ignored; longer secrets are replaced first, so one containing another is removed whole.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const distinct = [...new Set(secrets.filter((secret) => secret.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  if (distinct.length === 0) return (text) => text;
  return (text) => distinct.reduce((scrubbed, secret) => scrubbed.replaceAll(secret, REDACTED), text);
}
