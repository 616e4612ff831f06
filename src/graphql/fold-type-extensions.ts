// Folds `extend type X { … }` into X's definition, so the SDL reads as one definition per type.
import { type DocumentNode, Kind, type ObjectTypeDefinitionNode, parse, print } from 'graphql';

/**
 * schema/*.graphql may extend a type defined in another file (`extend type Query` in deliveries.graphql).
 * A subgraph publishes its SDL text as `_service { sdl }`, and composition tools (Mesh compose) read an
 * `extend type` there as the Federation 1 "defined elsewhere" marker, dropping the definition's own fields.
 * This merges each object type extension into its definition in the same SDL; an extension of a type the
 * SDL does not define is kept as it is.
 */
export function foldTypeExtensions(typeDefs: readonly string[]): string {
  const document = parse(typeDefs.join('\n\n'));
  const definitions = new Map<string, ObjectTypeDefinitionNode>();
  for (const node of document.definitions)
    if (node.kind === Kind.OBJECT_TYPE_DEFINITION) definitions.set(node.name.value, node);
  const kept: DocumentNode['definitions'][number][] = [];
  for (const node of document.definitions) {
    const definition =
      node.kind === Kind.OBJECT_TYPE_EXTENSION ? definitions.get(node.name.value) : undefined;
    if (node.kind !== Kind.OBJECT_TYPE_EXTENSION || !definition) {
      kept.push(node);
      continue;
    }
    definitions.set(node.name.value, {
      ...definition,
      interfaces: [...(definition.interfaces ?? []), ...(node.interfaces ?? [])],
      directives: [...(definition.directives ?? []), ...(node.directives ?? [])],
      fields: [...(definition.fields ?? []), ...(node.fields ?? [])],
    });
  }
  const folded = kept.map((node) =>
    node.kind === Kind.OBJECT_TYPE_DEFINITION ? (definitions.get(node.name.value) ?? node) : node,
  );
  return print({ kind: Kind.DOCUMENT, definitions: folded });
}
