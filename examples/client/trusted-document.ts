// Example frontend code: a generated document's trusted-document id and its exact text, from what codegen wrote.
import type { ASTNode } from 'graphql';
import persistedDocuments from './__generated__/persisted-documents.json' with { type: 'json' };

/** The manifest codegen wrote: each document's exact text under its id, `sha256:<hex>`. */
const manifest: Readonly<Record<string, string>> = persistedDocuments;

/** The id codegen put in a generated document's `__meta__` (persistedDocuments in codegen.yml). */
export function documentIdOf(node: ASTNode): string | undefined {
  const meta = (node as { __meta__?: { hash?: unknown } }).__meta__;
  return typeof meta?.hash === 'string' ? meta.hash : undefined;
}

/** The document's text byte for byte as the manifest holds it: a gateway checks it against the id. */
export function documentTextOf(node: ASTNode): string | undefined {
  const id = documentIdOf(node);
  return id === undefined ? undefined : manifest[id];
}
