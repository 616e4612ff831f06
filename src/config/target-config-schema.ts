// The schema of one target's config section: the settings every target shares, plus its credential.
import { z } from 'zod';
import { flag, httpUrl, integer, secret } from './config-fields.js';
import { pemFile } from './pem-file.js';
import { type TargetCredential, type TargetSectionId, targetSections } from './target-sections.js';

const targetSettingsSchema = z.strictObject({
  /** Base URL of the upstream (a path prefix is kept). Unset outside production: a demo server is started. */
  url: httpUrl
    .optional()
    .describe(
      'Base URL of the upstream (a path prefix is kept). Unset outside production: a demo server is started.',
    ),
  /** Milliseconds one HTTP attempt may take before it is an UpstreamTimeout. @default 1000 */
  timeoutMs: integer(1, 600_000)
    .default(1000)
    .describe('Milliseconds one HTTP attempt may take before it is an UpstreamTimeout.'),
  /** Keep-alive connections in the target's undici Pool. @default 64 */
  connections: integer(1, 4096).default(64).describe("Keep-alive connections in the target's undici Pool."),
  /** Whether placeOrders uses the target's batch endpoint. @default true */
  batchEnabled: flag.default(true).describe("Whether placeOrders uses the target's batch endpoint."),
  /** Orders per batch call; larger batches are split (the contracts allow 500). @default 500 */
  maxBatchSize: integer(1, 500)
    .default(500)
    .describe('Orders per batch call; larger batches are split (the contracts allow 500).'),
  /** Single calls in flight at once for one request when batching is off. @default 16 */
  concurrency: integer(1, 1024)
    .default(16)
    .describe('Single calls in flight at once for one request when batching is off.'),
  /** Whether the upstream honours Idempotency-Key; off, the gateway sends none and retries only what never left. @default true */
  idempotencyKeys: flag
    .default(true)
    .describe(
      'Whether the upstream honours Idempotency-Key; off, the gateway sends none and retries only what never left.',
    ),
  /** Attempts per call, the first included (1 turns retries off). @default 3 */
  maxAttempts: integer(1, 10)
    .default(3)
    .describe('Attempts per call, the first included (1 turns retries off).'),
  /** First retry delay before jitter, in ms; doubles per retry. @default 100 */
  backoffInitialMs: integer(0, 60_000)
    .default(100)
    .describe('First retry delay before jitter, in ms; doubles per retry.'),
  /** Longest retry delay before jitter, in ms. @default 1000 */
  backoffMaxMs: integer(0, 600_000).default(1000).describe('Longest retry delay before jitter, in ms.'),
  /** Consecutive failed calls (after retries) that open the circuit. @default 5 */
  breakerFailures: integer(1, 10_000)
    .default(5)
    .describe('Consecutive failed calls (after retries) that open the circuit.'),
  /** Milliseconds an open circuit waits before letting one probe call through. @default 10000 */
  breakerHalfOpenAfterMs: integer(1, 3_600_000)
    .default(10_000)
    .describe('Milliseconds an open circuit waits before letting one probe call through.'),
  /** Calls to the target in flight at once, across all requests. @default 128 */
  bulkheadLimit: integer(1, 100_000)
    .default(128)
    .describe('Calls to the target in flight at once, across all requests.'),
  /** Calls allowed to wait for a bulkhead slot; more fail fast. @default 512 */
  bulkheadQueue: integer(0, 1_000_000)
    .default(512)
    .describe('Calls allowed to wait for a bulkhead slot; more fail fast.'),
  /** Requests per second the gateway sends the target (token bucket); 0 turns the limit off. @default 0 */
  rateLimitRps: integer(0, 1_000_000)
    .default(0)
    .describe('Requests per second the gateway sends the target (token bucket); 0 turns the limit off.'),
  /** Burst the token bucket allows; 0 means the same as rateLimitRps. @default 0 */
  rateLimitBurst: integer(0, 1_000_000)
    .default(0)
    .describe('Burst the token bucket allows; 0 means the same as rateLimitRps.'),
  /** Most bytes read of a single-order answer; a longer one is abandoned unread (InvalidUpstreamResponse). @default 1048576 */
  maxResponseBytes: integer(1024, 1_073_741_824)
    .default(1_048_576)
    .describe(
      'Most bytes read of a single-order answer; a longer one is abandoned unread (InvalidUpstreamResponse).',
    ),
  /** Most bytes read of a batch answer (500 contract-valid deductions of 100 items are ~6 MB). @default 16777216 */
  maxBatchResponseBytes: integer(1024, 1_073_741_824)
    .default(16_777_216)
    .describe('Most bytes read of a batch answer (500 contract-valid deductions of 100 items are ~6 MB).'),
  /** PEM bundle of the CA(s) trusted for an https:// URL, read at start-up; replaces Node's default roots for this target. @default unset: Node's roots */
  caFile: pemFile('CERTIFICATE')
    .optional()
    .describe(
      "PEM bundle of the CA(s) trusted for an https:// URL, read at start-up; replaces Node's default roots for this target. Unset: Node's roots.",
    ),
  /** PEM client certificate (chain) presented for mutual TLS, read at start-up; needs clientKeyFile. @default unset: none */
  clientCertFile: pemFile('CERTIFICATE')
    .optional()
    .describe(
      'PEM client certificate (chain) presented for mutual TLS, read at start-up; needs clientKeyFile. Unset: none.',
    ),
  /** PEM private key of clientCertFile, read at start-up. @default unset: none */
  clientKeyFile: pemFile('PRIVATE KEY')
    .optional()
    .describe('PEM private key of clientCertFile, read at start-up. Unset: none.'),
  /** Whether the upstream's free-text error `message` reaches clients in the failure's message (it is always logged, at warn). @default false */
  exposeUpstreamMessages: flag
    .default(false)
    .describe(
      "Whether the upstream's free-text error `message` reaches clients in the failure's message (it is always logged, at warn).",
    ),
});

/** A target's section: the shared settings and its own credential field (optional, a secret). */
function targetSectionSchema<Field extends string>(credential: TargetCredential<Field>) {
  const credentialShape = { [credential.field]: secret.optional().describe(credential.description) };
  return targetSettingsSchema.extend(credentialShape as Record<Field, z.ZodOptional<typeof secret>>);
}

type Sections = typeof targetSections;
type TargetSectionSchema<Id extends TargetSectionId> = z.ZodPrefault<
  ReturnType<typeof targetSectionSchema<Sections[Id]['credential']['field']>>
>;

/** `targets`: one section per entry of targetSections, in its order. */
export const targetsSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(targetSections).map(([id, section]) => [
        id,
        targetSectionSchema(section.credential).prefault({}),
      ]),
      // Each id gets the schema built from its own section, which is what the mapped type says.
    ) as unknown as { [Id in TargetSectionId]: TargetSectionSchema<Id> },
  )
  .prefault({});

/** One target's settings, without its credential (whose field name differs per target). */
export type TargetConfig = z.infer<typeof targetSettingsSchema>;
