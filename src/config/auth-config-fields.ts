// Field parsers of the `auth` config section: the mode, the API key list and lists given as arrays or comma-separated text.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The ways a caller can prove who it is; AUTH_MODE turns each on. */
export const AUTH_METHODS = ['api-keys', 'jwt'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** Asymmetric JWS algorithms only: the gateway holds public keys, never a shared secret. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const CLIENT_ID = /^\S{1,128}$/;
const KEY_SHA256 = /^[0-9a-f]{64}$/i;
/** RFC 6749's scope-token: printable ASCII without space, `"` or `\`. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const MODE_EXPECTED = 'expected none, api-keys, jwt or api-keys,jwt';

/** `none`, or a comma-separated (file: array) set of methods; `none` parses to no methods. */
export const authModeField = z.unknown().transform((value, context): AuthMethod[] => {
  const parts = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
  const names = parts.map((part) => (typeof part === 'string' ? part.trim() : part));
  if (names.length === 1 && names[0] === 'none') return [];
  const methods = names.filter((name): name is AuthMethod => AUTH_METHODS.includes(name as AuthMethod));
  if (methods.length === 0 || methods.length !== names.length) {
    context.issues.push({ code: 'custom', message: MODE_EXPECTED, input: value });
    return z.NEVER;
  }
  return [...new Set(methods)];
});

const apiKeySchema = z.strictObject({
  /** The caller's client id: idempotency records, upstream keys, limits and logs are scoped to it. */
  clientId: z.string().regex(CLIENT_ID, { error: 'expected a client id of 1 to 128 characters, no spaces' }),
  /** Hex SHA-256 of the key (`npm run auth:hash-key -- <key>`); the key itself is never configured. */
  keySha256: z
    .string()
    .regex(KEY_SHA256, {
      error: "expected the key's SHA-256 as 64 hex characters (npm run auth:hash-key), not the key",
    })
    .transform((hash) => hash.toLowerCase()),
  /** What the key may do, e.g. `orders:write`. @default [] */
  scopes: z.array(z.string().regex(SCOPE, { error: 'expected a scope such as orders:write' })).default([]),
});
export type ApiKeyConfig = z.infer<typeof apiKeySchema>;

const apiKeyList = z.array(apiKeySchema, { error: 'expected a list of { clientId, keySha256, scopes }' });
const ENV_FORM_EXPECTED =
  'expected clientId:sha256hex[:scope,scope] entries separated by ";" (the SHA-256 from npm run auth:hash-key, never the key)';

/**
 * The API keys: in a file, a list of `{ clientId, keySha256, scopes }`; in the environment,
 * `clientId:sha256hex:scope,scope` entries separated by `;` or line breaks. A client may appear more
 * than once (one entry per key, e.g. while rotating).
 */
export const apiKeyListField = z.unknown().transform((value, context): ApiKeyConfig[] => {
  const candidate = typeof value === 'string' ? parseApiKeyEntries(value) : value;
  // Issues carry no input: a key pasted where its hash belongs must not be echoed in an error.
  if (candidate === undefined) {
    context.issues.push({ code: 'custom', message: ENV_FORM_EXPECTED, input: undefined });
    return z.NEVER;
  }
  const parsed = apiKeyList.safeParse(candidate);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.issues.push({ ...issue, input: undefined });
  return z.NEVER;
});

/** Private: the environment's form, or undefined when an entry does not fit it. */
function parseApiKeyEntries(text: string): unknown[] | undefined {
  const entries = text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const parsed = entries.map((entry) => {
    const match = /^([^:\s]{1,128}):([0-9a-f]{64})(?::(.*))?$/i.exec(entry);
    if (!match) return undefined;
    const scopes = (match[3] ?? '').split(/[\s,]+/).filter(Boolean);
    return { clientId: match[1], keySha256: match[2], scopes };
  });
  return parsed.every((entry) => entry !== undefined) ? parsed : undefined;
}

/** A non-empty list, given as an array (file) or as comma- or space-separated text (environment). */
export function listField<T>(item: z.ZodType<T>, expected: string) {
  const list = z.array(item).min(1);
  return z.unknown().transform((value, context): T[] => {
    const items = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
    const parsed = list.safeParse(items);
    if (parsed.success) return parsed.data;
    context.issues.push({ code: 'custom', message: expected, input: value });
    return z.NEVER;
  });
}

/** A PEM public key (SPKI, or a certificate); `\n` escapes are accepted so it fits on one env line. */
export const publicKeyPemField = z.string().transform((text, context): string => {
  const pem = text.replace(/\\n/g, '\n');
  if (isPublicKeyPem(pem)) return pem;
  context.issues.push({
    code: 'custom',
    message: 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)',
    input: undefined,
  });
  return z.NEVER;
});

/** The path of a PEM public key file, read and checked at start-up; parses to the file's text. */
export const publicKeyFileField = z.string().transform((path, context): { path: string; pem: string } => {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    context.issues.push({ code: 'custom', input: path, message: `cannot read the file (${code})` });
    return z.NEVER;
  }
  if (isPublicKeyPem(pem)) return { path, pem };
  context.issues.push({ code: 'custom', input: path, message: 'expected a file holding a PEM public key' });
  return z.NEVER;
});

/** Private: a public key or certificate Node can load; a private key is refused, it does not belong here. */
function isPublicKeyPem(pem: string): boolean {
  if (/PRIVATE KEY-----/.test(pem)) return false;
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
}
