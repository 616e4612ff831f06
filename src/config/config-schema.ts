// The gateway's configuration: one zod schema, its defaults, and the Config type inferred from it.
import { z } from 'zod';
import {
  apiKeyListField,
  authModeField,
  JWT_ALGORITHMS,
  listField,
  publicKeyFileField,
  publicKeyPemField,
} from './auth-config-fields.js';
import { flag, fraction, integer } from './config-fields.js';
import { corsOriginsField } from './cors-origins-field.js';
import { deliverySchema } from './delivery-config-schema.js';
import { targetsSchema } from './target-config-schema.js';
import { trustedDocumentsFile } from './trusted-documents-file.js';

export const configSchema = z.strictObject({
  /** `production` never starts demo upstreams and turns Sandbox off. @default development */
  env: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('development')
    .describe('`production` never starts demo upstreams and turns Sandbox off.'),
  server: z
    .strictObject({
      /** Interface to listen on. @default 127.0.0.1 */
      host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on.'),
      /** Port to listen on (0 picks a free one). @default 4000 */
      port: integer(0, 65_535).default(4000).describe('Port to listen on (0 picks a free one).'),
      /** Most orders one placeOrders call may carry. @default 1000 */
      maxOrdersPerRequest: integer(1, 100_000)
        .default(1000)
        .describe('Most orders one placeOrders call may carry.'),
      /** Milliseconds a shutdown waits for in-flight requests before abandoning them and exiting 1. @default 10000 */
      shutdownTimeoutMs: integer(0, 600_000)
        .default(10_000)
        .describe(
          'Milliseconds a shutdown waits for in-flight requests before abandoning them and exiting 1.',
        ),
      /** Serve the schema as an Apollo Federation 2 subgraph (adds `_service { sdl }`, which answers even where introspection is off) for a router to route to. @default false */
      subgraph: flag
        .default(false)
        .describe(
          'Serve the schema as an Apollo Federation 2 subgraph (adds `_service { sdl }`, which answers even where introspection is off) for a router to route to.',
        ),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      /** Whether the operator listener (/metrics, /readyz with reasons and circuits, /healthz) starts; off, /metrics is served nowhere. @default true */
      enabled: flag
        .default(true)
        .describe(
          'Whether the operator listener (/metrics, /readyz with reasons and circuits, /healthz) starts; off, /metrics is served nowhere.',
        ),
      /** Interface of the operator listener; loopback keeps it private until the operator opens it. @default 127.0.0.1 */
      host: z
        .string()
        .min(1)
        .default('127.0.0.1')
        .describe(
          'Interface of the operator listener; loopback keeps it private until the operator opens it.',
        ),
      /** Port of the operator listener (0 picks a free one); OpenTelemetry's Prometheus exporter port. @default 9464 */
      port: integer(0, 65_535)
        .default(9464)
        .describe(
          "Port of the operator listener (0 picks a free one); OpenTelemetry's Prometheus exporter port.",
        ),
    })
    .prefault({}),
  log: z
    .strictObject({
      /** The least severe level logged (pino). @default info */
      level: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'expected fatal, error, warn, info, debug, trace or silent',
        })
        .default('info')
        .describe('The least severe level logged (pino).'),
      /** `json` lines, `pretty` (needs the pino-pretty dev dependency), or `auto`: pretty in development when installed. @default auto */
      format: z
        .enum(['auto', 'json', 'pretty'], { error: 'expected auto, json or pretty' })
        .default('auto')
        .describe(
          '`json` lines, `pretty` (needs the pino-pretty dev dependency), or `auto`: pretty in development when installed.',
        ),
    })
    .prefault({}),
  fanout: z
    .strictObject({
      /** Milliseconds a mutation may take when the client sets no deadlineMs (50 to 600000). @default 2000 */
      defaultDeadlineMs: integer(50, 600_000)
        .default(2000)
        .describe('Milliseconds a mutation may take when the client sets no deadlineMs (50 to 600000).'),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Lexical tokens one GraphQL document may have; the parser stops at the first past it (the test suite's full placeOrders selection is 159). @default 1000 */
      maxTokens: integer(1, 1_000_000)
        .default(1000)
        .describe(
          "Lexical tokens one GraphQL document may have; the parser stops at the first past it (the test suite's full placeOrders selection is 159).",
        ),
      /** Nesting of fields, fragments flattened (placeOrder's deepest selection is 4, a deliveries page's 6). @default 8 */
      maxDepth: integer(1, 1000)
        .default(8)
        .describe(
          "Nesting of fields, fragments flattened (placeOrder's deepest selection is 4, a deliveries page's 6).",
        ),
      /** Aliases in one operation, fragments included; `__typename` aliases are free. @default 15 */
      maxAliases: integer(0, 100_000)
        .default(15)
        .describe('Aliases in one operation, fragments included; `__typename` aliases are free.'),
      /** Directives in one operation, fragments included. @default 20 */
      maxDirectives: integer(0, 100_000)
        .default(20)
        .describe('Directives in one operation, fragments included.'),
      /** graphql-armor's static cost of one operation (full placeOrders selection 150; the largest deliveries page 87672). @default 100000 */
      maxCost: integer(1, 100_000_000)
        .default(100_000)
        .describe(
          "graphql-armor's static cost of one operation: ×1.5 per level and × an explicit `first`. The full placeOrders selection costs 150; deliveries(first: 500), the largest page, with every field and result member, 87672.",
        ),
    })
    .prefault({}),
  http: z
    .strictObject({
      /** Most bytes of a request body; a larger one is a 413 LIMIT_EXCEEDED before any GraphQL work. @default 1048576 */
      bodyLimitBytes: integer(1024, 1_073_741_824)
        .default(1_048_576)
        .describe(
          'Most bytes of a request body; a larger one is a 413 LIMIT_EXCEEDED before any GraphQL work.',
        ),
      /** Milliseconds a client has to send a whole request, headers and body; then 408 and the connection closes. @default 30000 */
      requestTimeoutMs: integer(100, 3_600_000)
        .default(30_000)
        .describe(
          'Milliseconds a client has to send a whole request, headers and body; then 408 and the connection closes.',
        ),
      /** Milliseconds a connection may stay silent both ways before it is cut; 0 turns it off. Keep it above the longest deadline a client may ask for (600000). @default 630000 */
      connectionTimeoutMs: integer(0, 86_400_000)
        .default(630_000)
        .describe(
          'Milliseconds a connection may stay silent both ways before it is cut; 0 turns it off. Keep it above the longest deadline a client may ask for (600000).',
        ),
      /** Milliseconds an idle keep-alive connection stays open; above load balancers' idle timeouts (often 60 s). @default 72000 */
      keepAliveTimeoutMs: integer(1, 3_600_000)
        .default(72_000)
        .describe(
          "Milliseconds an idle keep-alive connection stays open; above load balancers' idle timeouts (often 60 s).",
        ),
      /** Browser origins allowed by CORS, e.g. https://app.example.com, or *; empty sends no CORS headers. @default [] */
      corsOrigins: corsOriginsField
        .default([])
        .describe(
          'Browser origins allowed by CORS, e.g. https://app.example.com, or *; empty sends no CORS headers.',
        ),
    })
    .prefault({}),
  clientRateLimit: z
    .strictObject({
      /** Upstream writes (orders × targets: placeOrder is 2, placeOrders of n is 2n) one client may make per window, shared by every instance when Redis is set; 0 turns the limit off. @default 6000 */
      writes: integer(0, 1_000_000_000)
        .default(6000)
        .describe(
          'Upstream writes (orders × targets: placeOrder is 2, placeOrders of n is 2n) one client may make per window, shared by every instance when Redis is set; 0 turns the limit off.',
        ),
      /** Length of the client's fixed window, in seconds. @default 60 */
      windowSeconds: integer(1, 86_400)
        .default(60)
        .describe("Length of the client's fixed window, in seconds."),
    })
    .prefault({}),
  targets: targetsSchema,
  tracing: z
    .strictObject({
      /** OTLP/HTTP base URL (traces go to `${endpoint}/v1/traces`); setting it turns tracing on. */
      endpoint: z
        .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
        .optional()
        .describe('OTLP/HTTP base URL (traces go to `<endpoint>/v1/traces`); setting it turns tracing on.'),
      /** `otlp` or `console` turn tracing on (`otlp` defaults to http://localhost:4318), `none` off. @default unset: on when an endpoint is set */
      exporter: z
        .enum(['otlp', 'console', 'none'], { error: 'expected otlp, console or none' })
        .optional()
        .describe(
          '`otlp` or `console` turn tracing on (`otlp` defaults to http://localhost:4318), `none` off. Unset: on when an endpoint is set.',
        ),
      /** The service name spans carry. @default fanout-gateway */
      serviceName: z.string().min(1).default('fanout-gateway').describe('The service name spans carry.'),
      /** Share of new traces recorded (parent-based: a caller's sampling decision is kept). @default 1 */
      sampleRatio: fraction
        .default(1)
        .describe("Share of new traces recorded (parent-based: a caller's sampling decision is kept)."),
    })
    .prefault({}),
  idempotency: z
    .strictObject({
      /** Seconds a completed payload is kept for replays of its idempotency key. @default 86400 */
      ttlSeconds: integer(1, 30 * 86_400)
        .default(86_400)
        .describe('Seconds a completed payload is kept for replays of its idempotency key.'),
      /** Most keys the in-memory store keeps (least recently used go first); unused with Redis. @default 10000 */
      maxEntries: integer(1, 10_000_000)
        .default(10_000)
        .describe('Most keys the in-memory store keeps (least recently used go first); unused with Redis.'),
      /** Most bytes of record JSON the in-memory store keeps (least recently used go first; a larger single record is not stored); unused with Redis. @default 67108864 */
      maxBytes: integer(1024, 68_719_476_736)
        .default(67_108_864)
        .describe(
          'Most bytes of record JSON the in-memory store keeps (least recently used go first; a larger single record is not stored); unused with Redis.',
        ),
    })
    .prefault({}),
  redis: z
    .strictObject({
      /** Redis shared by gateway instances for idempotency records (and the delivery queue with DELIVERY_QUEUE=redis); unset keeps records in memory. */
      url: z
        .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
        .optional()
        .describe(
          'Redis shared by gateway instances for idempotency records and write limits, and the delivery queue with DELIVERY_QUEUE=redis; unset keeps records in memory.',
        ),
      /** Prefix of every key the gateway writes. @default fanout: */
      keyPrefix: z.string().default('fanout:').describe('Prefix of every key the gateway writes.'),
      /** Milliseconds any one Redis operation (command, ping, first connection) may take before it fails as store unavailable. @default 500 */
      commandTimeoutMs: integer(1, 60_000)
        .default(500)
        .describe(
          'Milliseconds any one Redis operation (command, ping, first connection) may take before it fails as store unavailable.',
        ),
    })
    .prefault({}),
  delivery: deliverySchema,
  trustedDocuments: z
    .strictObject({
      /** Path of the trusted-documents manifest (client-preset's persisted-documents.json), read and verified at start-up; set, only its operations run and Apollo's APQ is off. @default unset: any operation runs */
      manifest: trustedDocumentsFile()
        .optional()
        .describe(
          "Path of the trusted-documents manifest (client-preset's persisted-documents.json), read and verified at start-up; set, only its operations run and Apollo's APQ is off. Unset: any operation runs.",
        ),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** `none`, `api-keys`, `jwt` or `api-keys,jwt`. @default unset: the methods configured below, else none — except in production, where it is required */
      mode: authModeField
        .optional()
        .describe(
          '`none`, `api-keys`, `jwt` or `api-keys,jwt`. Unset: the methods configured below, else none — except in production, where it is required.',
        ),
      /** Callers that authenticate with an API key: client id, hex SHA-256 of the key, scopes. @default [] */
      apiKeys: apiKeyListField
        .default([])
        .describe('Callers that authenticate with an API key: client id, hex SHA-256 of the key, scopes.'),
      jwt: z
        .strictObject({
          /** The identity provider's JWKS URL; keys are cached and refetched for an unknown `kid`. */
          jwksUrl: z
            .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
            .optional()
            .describe(
              "The identity provider's JWKS URL; keys are cached and refetched for an unknown `kid`.",
            ),
          /** A PEM public key (SPKI) that signs the tokens, instead of a JWKS URL. */
          publicKey: publicKeyPemField
            .optional()
            .describe('A PEM public key (SPKI) that signs the tokens, instead of a JWKS URL.'),
          /** The path of a PEM public key file, instead of a JWKS URL. */
          publicKeyFile: publicKeyFileField
            .optional()
            .describe('The path of a PEM public key file, instead of a JWKS URL.'),
          /** The `iss` every token must carry; required with JWT authentication. */
          issuer: z
            .string()
            .min(1, { error: 'expected a non-empty string' })
            .optional()
            .describe('The `iss` every token must carry; required with JWT authentication.'),
          /** Accepted `aud` values (a token must name one); required with JWT authentication. */
          audience: listField(z.string().min(1), 'expected one or more audiences, comma-separated')
            .optional()
            .describe('Accepted `aud` values (a token must name one); required with JWT authentication.'),
          /** Accepted signing algorithms, asymmetric only. @default ["RS256", "ES256"] */
          algorithms: listField(
            z.enum(JWT_ALGORITHMS),
            `expected a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`,
          )
            .default(['RS256', 'ES256'])
            .describe('Accepted signing algorithms, asymmetric only.'),
          /** The claim naming the client; when absent, `client_id`, then `sub`. @default azp */
          clientClaim: z
            .string()
            .min(1, { error: 'expected a claim name' })
            .default('azp')
            .describe('The claim naming the client; when absent, `client_id`, then `sub`.'),
          /** Seconds of clock skew allowed when checking `exp` and `nbf`. @default 5 */
          clockToleranceSeconds: integer(0, 300)
            .default(5)
            .describe('Seconds of clock skew allowed when checking `exp` and `nbf`.'),
          /** Milliseconds after a JWKS fetch before an unknown `kid` may trigger another. @default 30000 */
          jwksCooldownMs: integer(0, 3_600_000)
            .default(30_000)
            .describe('Milliseconds after a JWKS fetch before an unknown `kid` may trigger another.'),
          /** Milliseconds a JWKS fetch may take before the request answers 503. @default 2000 */
          jwksTimeoutMs: integer(1, 60_000)
            .default(2000)
            .describe('Milliseconds a JWKS fetch may take before the request answers 503.'),
        })
        .prefault({}),
    })
    .prefault({}),
  demo: z
    .strictObject({
      /** Artificial latency of the embedded demo Inventory server, in ms. @default 0 */
      inventoryLatencyMs: integer(0, 60_000)
        .default(0)
        .describe('Artificial latency of the embedded demo Inventory server, in ms.'),
      /** Artificial latency of the embedded demo CRM server, in ms. @default 0 */
      crmLatencyMs: integer(0, 60_000)
        .default(0)
        .describe('Artificial latency of the embedded demo CRM server, in ms.'),
    })
    .prefault({}),
});

/** The validated configuration, built once at start-up. */
export type Config = z.infer<typeof configSchema>;
