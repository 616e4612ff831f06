// CLI: prints the SHA-256 an API key is configured by (AUTH_API_KEYS); with no key, makes a new one first.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashApiKey } from '../src/auth/index.js';

/** Prefix of generated keys: lets secret scanners find them, and keeps them from looking like a JWT (no dots). */
const GENERATED_KEY_PREFIX = 'fgk_';

const usage = `usage: npm run auth:hash-key [-- <key> | -- -]
  no argument  generate a new key (32 random bytes) and print it with its SHA-256
  <key>        print the SHA-256 of <key>
  -            read the key from stdin (keeps it out of shell history)`;

function main(argv: readonly string[]): void {
  const [argument, extra] = argv;
  if (extra !== undefined || argument === '--help' || argument === '-h') {
    process.stderr.write(`${usage}\n`);
    process.exit(argument === '--help' || argument === '-h' ? 0 : 2);
  }
  if (argument === undefined) {
    const key = `${GENERATED_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    process.stdout.write(`key:    ${key}\n`);
    process.stdout.write(`sha256: ${hashApiKey(key)}\n`);
    process.stderr.write('Give the key to the client once; configure only the sha256 (AUTH_API_KEYS).\n');
    return;
  }
  const key = argument === '-' ? readFileSync(0, 'utf8').replace(/[\r\n]+$/, '') : argument;
  if (key === '') {
    process.stderr.write('the key is empty\n');
    process.exit(2);
  }
  process.stdout.write(`${hashApiKey(key)}\n`);
}

main(process.argv.slice(2));
