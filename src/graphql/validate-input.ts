// Validates mutation arguments before anything is sent: bad input is a BAD_USER_INPUT error naming the field.
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { DeliveryMode } from '../fanout/index.js';
import type { Order } from '../targets/index.js';
import type { FanoutOptions, PlaceOrderInput } from './__generated__/resolvers-types.js';
import { GatewayErrorCode } from './gateway-error-code.js';

/** Shorter deadlines leave no room for an attempt; they are refused rather than turned into timeouts. */
const MIN_DEADLINE_MS = 50;
const MAX_DEADLINE_MS = 600_000;

/** A UTF-16 surrogate without its partner: text no UTF-8 encoder (hash, upstream, log) can represent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string of 1 to `max` characters that is well-formed Unicode. Lone surrogates are refused: UTF-8
 * encoding turns every one of them into U+FFFD, so two different keys or ids would hash alike.
 */
function text(max: number) {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode (it has a lone surrogate)');
}

// Bounds follow the upstream contracts, so an order the gateway accepts is one both APIs can accept.
const orderSchema = z.object({
  orderId: text(128),
  customerId: text(128),
  items: z
    .array(
      z.object({
        sku: text(64),
        quantity: z.int().min(1, 'must be at least 1').max(10_000, 'must be at most 10000'),
      }),
    )
    .min(1, 'must contain at least one item')
    .max(100, 'must contain at most 100 items'),
});

const idempotencyKeySchema = text(255);

const optionsSchema = z.object({
  idempotencyKey: idempotencyKeySchema.nullish(),
  deadlineMs: z
    .int()
    .min(MIN_DEADLINE_MS, `must be at least ${MIN_DEADLINE_MS}`)
    .max(MAX_DEADLINE_MS, `must be at most ${MAX_DEADLINE_MS}`)
    .nullish(),
  consistency: z.enum(['BEST_EFFORT', 'ALL_OR_NOTHING']).nullish(),
  delivery: z.enum(['SYNC', 'ASYNC', 'SYNC_OR_QUEUE']).nullish(),
});

export interface ValidOptions {
  readonly idempotencyKey?: string;
  readonly deadlineMs?: number;
  /** @default 'SYNC' */
  readonly delivery: DeliveryMode;
  /** @default 'BEST_EFFORT' */
  readonly consistency: 'BEST_EFFORT' | 'ALL_OR_NOTHING';
}

/** @param argument the argument's name in messages, e.g. `input` or `inputs[3]` */
export function validateOrder(input: PlaceOrderInput, argument: string): Order {
  return parseOrThrow(orderSchema, input, argument);
}

/** Validates every order and rejects duplicate order ids, which would make per-order results ambiguous. */
export function validateOrders(inputs: readonly PlaceOrderInput[]): Order[] {
  const orders = inputs.map((input, index) => validateOrder(input, `inputs[${index}]`));
  const seen = new Map<string, number>();
  orders.forEach((order, index) => {
    const first = seen.get(order.orderId);
    if (first !== undefined) {
      throw badInput(
        `inputs[${index}].orderId: duplicates inputs[${first}].orderId "${order.orderId}"; each order must be unique`,
      );
    }
    seen.set(order.orderId, index);
  });
  return orders;
}

export function validateOptions(options: FanoutOptions | null | undefined): ValidOptions {
  const parsed = parseOrThrow(optionsSchema, options ?? {}, 'options');
  return {
    idempotencyKey: parsed.idempotencyKey ?? undefined,
    deadlineMs: parsed.deadlineMs ?? undefined,
    delivery: parsed.delivery ?? 'SYNC',
    consistency: parsed.consistency ?? 'BEST_EFFORT',
  };
}

/** The `Idempotency-Key` HTTP header obeys exactly the rules of `options.idempotencyKey`. */
export function validateIdempotencyKeyHeader(header: string | undefined): string | undefined {
  return header === undefined
    ? undefined
    : parseOrThrow(idempotencyKeySchema, header, 'Idempotency-Key header');
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${argument}${formatPath(issue.path)}: ${issue.message}`,
  );
  throw badInput(problems.join('; '));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: GatewayErrorCode.BAD_USER_INPUT } });
}
