// fast-check arbitraries for hostile GraphQL documents: deep, aliased, fragment chains, inline literals, token soup.
import fc from 'fast-check';
import { type Labelled, labelledOrder } from './labelled-inputs.js';

/** A document to send, and whether the gateway may call an upstream for it (only with a valid order). */
export interface DocumentCase {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly mayReachUpstream: boolean;
  /** Whether the answer must be errors: the order in it is invalid. */
  readonly mustFail: boolean;
}

const placeOrderField = 'placeOrder(input: $input) { orderId status }';
const inputVariable = 'mutation Fuzz($input: PlaceOrderInput!)';

function withOrder(order: Labelled, name: string, query: string): DocumentCase {
  return {
    name,
    query,
    variables: { input: order.value },
    mayReachUpstream: order.valid,
    mustFail: !order.valid,
  };
}

/** The same mutation under up to 40 aliases. */
const aliased = fc
  .tuple(fc.integer({ min: 1, max: 40 }), labelledOrder)
  .map(([count, order]) =>
    withOrder(
      order,
      `${count} aliases`,
      `${inputVariable} { ${Array.from({ length: count }, (_, index) => `a${index}: ${placeOrderField}`).join(' ')} }`,
    ),
  );

/** The mutation nested in up to 3000 inline fragments: the parser's recursion, not the schema, is the limit. */
const nestedFragments = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), labelledOrder)
  .map(([depth, order]) =>
    withOrder(
      order,
      `${depth} nested inline fragments`,
      `${inputVariable} { ${'... on Mutation { '.repeat(depth)}${placeOrderField}${' }'.repeat(depth)} }`,
    ),
  );

/** A chain of up to 200 named fragments, the last of which places the order. */
const fragmentChain = fc.tuple(fc.integer({ min: 1, max: 200 }), labelledOrder).map(([length, order]) => {
  const fragments = Array.from({ length }, (_, index) =>
    index === length - 1
      ? `fragment F${index} on Mutation { ${placeOrderField} }`
      : `fragment F${index} on Mutation { ...F${index + 1} }`,
  );
  return withOrder(order, `${length} chained fragments`, `${inputVariable} { ...F0 } ${fragments.join(' ')}`);
});

/** A query (no upstream involved) nested up to 3000 levels deep. */
const deepQuery = fc.integer({ min: 1, max: 3000 }).map(
  (depth): DocumentCase => ({
    name: `query ${depth} levels deep`,
    query: `{ ${'... on Query { '.repeat(depth)}targets { target circuit }${' }'.repeat(depth)} }`,
    mayReachUpstream: false,
    mustFail: false,
  }),
);

/** `items` as a list literal nested up to 5000 deep, which no input type accepts. */
const nestedListLiteral = fc.integer({ min: 1, max: 5000 }).map(
  (depth): DocumentCase => ({
    name: `items nested ${depth} lists deep`,
    query: `mutation { placeOrder(input: { orderId: "o", customerId: "CUST-1", items: ${'['.repeat(depth)}${']'.repeat(depth)} }) { orderId } }`,
    mayReachUpstream: false,
    mustFail: true,
  }),
);

/** Over 100 items from one small variable repeated: a tiny document, a huge argument. */
const itemsFromOneVariable = fc.constantFrom(101, 100_000).map(
  (count): DocumentCase => ({
    name: `${count} items from one variable`,
    query: `mutation Fuzz($item: OrderItemInput!) { placeOrder(input: { orderId: "o", customerId: "CUST-1", items: [${Array(count).fill('$item').join(',')}] }) { orderId } }`,
    variables: { item: { sku: 'SKU-RED-MUG', quantity: 1 } },
    mayReachUpstream: false,
    mustFail: true,
  }),
);

/** The order written as a literal in the document (JSON's escapes of lone surrogates do not parse there). */
const inlineOrder = labelledOrder.map(
  (order): DocumentCase => ({
    name: 'inline order literal',
    query: `mutation { placeOrder(input: ${printLiteral(order.value)}) { orderId status } }`,
    mayReachUpstream: order.valid,
    mustFail: !order.valid,
  }),
);

/** Random GraphQL tokens; `placeOrder` is not among them, so nothing may ever reach an upstream. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      ...[
        '{',
        '}',
        '(',
        ')',
        '[',
        ']',
        ':',
        '$',
        '!',
        '@',
        '...',
        '=',
        '|',
        '&',
        '#',
        '\n',
        '"',
        '"""',
        'x',
        '1',
      ],
      ...[
        'query',
        'mutation',
        'fragment',
        'on',
        'Query',
        'Mutation',
        'targets',
        'target',
        '__typename',
        '__schema',
      ],
    ),
    { maxLength: 80 },
  )
  .map(
    (tokens): DocumentCase => ({
      name: 'token soup',
      query: tokens.join(' '),
      mayReachUpstream: false,
      mustFail: false,
    }),
  );

/** Every hostile document shape. */
export const hostileDocument: fc.Arbitrary<DocumentCase> = fc.oneof(
  aliased,
  nestedFragments,
  fragmentChain,
  deepQuery,
  nestedListLiteral,
  itemsFromOneVariable,
  inlineOrder,
  tokenSoup,
);

/** Prints a JSON-like value as a GraphQL literal; non-finite numbers become null, as they do in JSON. */
function printLiteral(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value ?? null);
  if (Array.isArray(value)) return `[${value.map(printLiteral).join(', ')}]`;
  const fields = Object.entries(value as Record<string, unknown>);
  return `{ ${fields.map(([name, field]) => `${name}: ${printLiteral(field)}`).join(', ')} }`;
}
