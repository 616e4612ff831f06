// A PEM file named in the configuration, read once while the configuration is validated.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A PEM file's path and text. The text is held privately, so printing or logging the config (or
 * JSON.stringify) shows only the path, never a private key.
 */
export class PemFile {
  readonly #pem: string;

  constructor(
    readonly path: string,
    pem: string,
  ) {
    this.#pem = pem;
  }

  /** The file's text, as read at start-up. */
  get pem(): string {
    return this.#pem;
  }

  toJSON(): string {
    return this.path;
  }
}

/**
 * A path to a PEM file holding at least one `block` (`CERTIFICATE`, or `PRIVATE KEY` for any key type),
 * read at once; an unreadable file or one without such a block is a validation issue, which never
 * quotes the file's content.
 */
export function pemFile(block: 'CERTIFICATE' | 'PRIVATE KEY') {
  return z
    .string()
    .min(1, { error: 'expected the path of a PEM file' })
    .transform((path, context) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        context.issues.push({ code: 'custom', input: path, message: `cannot read the file (${code})` });
        return z.NEVER;
      }
      const header =
        block === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
      if (!header.test(text)) {
        const expected = `expected a PEM file with a ${block} block`;
        context.issues.push({ code: 'custom', input: path, message: expected });
        return z.NEVER;
      }
      return new PemFile(path, text);
    });
}
