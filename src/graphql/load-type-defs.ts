// Reads the SDL, the source of truth: every `schema/*.graphql` file, in name order.
import { readdirSync, readFileSync } from 'node:fs';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL is the source of truth: every `schema/*.graphql` file, read once at start-up. */
export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}
