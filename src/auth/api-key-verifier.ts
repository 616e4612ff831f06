// Checks a presented API key against the configured SHA-256 hashes, in time that does not depend on which one matches.
import { timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from '../config/index.js';
import type { CallerIdentity } from './caller-identity.js';
import { hashApiKey } from './hash-api-key.js';

/** The identity of the key's client, or undefined when no configured key matches. */
export type ApiKeyVerifier = (presentedKey: string) => CallerIdentity | undefined;

/**
 * Hashes the presented key and compares the digest with every configured hash using
 * `crypto.timingSafeEqual`, always all of them: no lookup, no early exit. Only digests are compared,
 * so the key's length does not show either.
 */
export function createApiKeyVerifier(keys: readonly ApiKeyConfig[]): ApiKeyVerifier {
  const entries = keys.map((key) => ({
    digest: Buffer.from(key.keySha256, 'hex'),
    identity: { clientId: key.clientId, scopes: new Set(key.scopes), method: 'api-key' } as const,
  }));
  return (presentedKey) => {
    const digest = Buffer.from(hashApiKey(presentedKey), 'hex');
    let match: CallerIdentity | undefined;
    for (const entry of entries) {
      // The compare runs first, for every entry, whether or not an earlier one matched.
      if (timingSafeEqual(digest, entry.digest) && match === undefined) match = entry.identity;
    }
    return match;
  };
}
