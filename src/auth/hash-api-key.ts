// The one way an API key is turned into what the config holds: its SHA-256, in hex.
import { createHash } from 'node:crypto';

/** Hex SHA-256 of the key's UTF-8 bytes: what `auth.apiKeys[].keySha256` (AUTH_API_KEYS) holds. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
