// createLogger's redaction: secret-named properties at any depth never reach a line; the caller's objects stay whole.
import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from './create-logger.js';
import { MAX_REDACTION_DEPTH, REDACTED, redactSecrets } from './redact-secrets.js';

interface CapturedLog {
  readonly logger: Logger;
  /** Everything written, as one string. */
  text(): string;
  /** The lines written, parsed. */
  lines(): Record<string, unknown>[];
}

/** Private: the gateway's logger, writing JSON lines to memory instead of stdout. */
function captureLog(): CapturedLog {
  const written: string[] = [];
  const logger = createLogger(
    { level: 'trace', format: 'json' },
    { write: (line) => void written.push(line) },
  );
  return {
    logger,
    text: () => written.join(''),
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Private: `depth` objects, one inside the other, with a token in the innermost. */
function nestedToken(depth: number, token: string): Record<string, unknown> {
  let value: Record<string, unknown> = { token };
  for (let level = 0; level < depth; level++) value = { next: value };
  return value;
}

describe('createLogger', () => {
  it('redacts a secret nested several objects deep, and inside arrays', () => {
    const log = captureLog();
    log.logger.info(
      {
        upstream: { request: { options: { token: 'deep-S3CRET-1' } } },
        attempts: [{ headers: [{ 'x-api-key': 'array-S3CRET-2' }] }],
      },
      'upstream call',
    );
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()[0]).toMatchObject({
      upstream: { request: { options: { token: REDACTED } } },
      attempts: [{ headers: [{ 'x-api-key': REDACTED }] }],
      msg: 'upstream call',
    });
  });

  it('matches secret names in any case, with or without - or _ between their words', () => {
    const log = captureLog();
    const names = ['Authorization', 'X-API-KEY', 'api_key', 'apiKey', 'IdempotencyKey', 'idempotency-key'];
    const more = ['Set-Cookie', 'cookie', 'PASSWORD', 'Secret', 'TOKEN', 'x_api_key'];
    const secrets = Object.fromEntries([...names, ...more].map((name, index) => [name, `S3CRET-${index}`]));
    log.logger.info({ nested: { ...secrets } });
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(Object.values(log.lines()[0]?.nested as object)).toEqual(Array(12).fill(REDACTED));
  });

  it('keeps properties whose names only contain a secret word', () => {
    const log = captureLog();
    log.logger.info({ limiter: { tokens: 3, tokenBucket: 'crm', secretary: 'Ann', apiKeyId: 'k-1' } });
    expect(log.lines()[0]?.limiter).toEqual({
      tokens: 3,
      tokenBucket: 'crm',
      secretary: 'Ann',
      apiKeyId: 'k-1',
    });
  });

  it("redacts an err's own properties, nested ones included, and keeps its type, message and stack", () => {
    const log = captureLog();
    const error = Object.assign(new TypeError('upstream refused'), {
      apiKey: 'err-S3CRET-1',
      request: { headers: { Authorization: 'Bearer err-S3CRET-2' } },
    });
    log.logger.error({ err: error }, 'call failed');
    log.logger.error(error);
    expect(log.text()).not.toMatch(/S3CRET/);
    for (const line of log.lines()) {
      expect(line.err).toMatchObject({
        type: 'TypeError',
        message: 'upstream refused',
        stack: expect.stringContaining('TypeError: upstream refused'),
        apiKey: REDACTED,
        request: { headers: { Authorization: REDACTED } },
      });
    }
  });

  it('redacts request headers as a request logger prints them', () => {
    const log = captureLog();
    const headers = {
      authorization: 'Bearer hdr-S3CRET-1',
      'x-api-key': 'hdr-S3CRET-2',
      'idempotency-key': 'hdr-S3CRET-3',
      cookie: 'session=hdr-S3CRET-4',
      'content-type': 'application/json',
    };
    log.logger.child({ requestId: 'req-1' }).info({ req: { method: 'POST', url: '/graphql', headers } });
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()[0]).toMatchObject({
      requestId: 'req-1',
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'content-type': 'application/json' } },
    });
  });

  it("redacts top-level properties of a line and of a child logger's bindings", () => {
    const log = captureLog();
    const child = log.logger.child({
      requestId: 'req-2',
      Token: 'bind-S3CRET-1',
      ctx: { secret: 'bind-S3CRET-2' },
    });
    child.child({ password: 'bind-S3CRET-3' }).warn({ authorization: 'line-S3CRET-4' }, 'hello');
    child.setBindings({ apiKey: 'bind-S3CRET-5' });
    child.info('after setBindings');
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()[0]).toMatchObject({ requestId: 'req-2', Token: REDACTED, authorization: REDACTED });
    expect(log.lines()[1]).toMatchObject({ apiKey: REDACTED });
  });

  it('redacts objects interpolated into the message with %o and %j', () => {
    const log = captureLog();
    log.logger.info(
      'options %o, headers %j',
      { deep: { idempotencyKey: 'fmt-S3CRET-1' } },
      { cookie: 'fmt-S3CRET-2' },
    );
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()[0]?.msg).toContain(REDACTED);
  });

  it("never changes the caller's objects or errors", () => {
    const log = captureLog();
    const error = Object.assign(new Error('boom'), { token: 'own-S3CRET-1' });
    const payload = { a: { b: { token: 'own-S3CRET-2' } }, list: [{ password: 'own-S3CRET-3' }], err: error };
    const before = structuredClone({ ...payload, err: { ...error } });
    log.logger.info(payload);
    expect({ ...payload, err: { ...error } }).toEqual(before);
    expect(error.token).toBe('own-S3CRET-1');
    expect(log.text()).not.toMatch(/S3CRET/);
  });

  it('logs a cyclic object, marking the cycle, without hanging or throwing', () => {
    const log = captureLog();
    const cyclic: Record<string, unknown> = { name: 'session', token: 'cyc-S3CRET-1' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic, { parent: cyclic }];
    log.logger.info({ cyclic });
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()[0]?.cyclic).toEqual({
      name: 'session',
      token: REDACTED,
      self: '[Circular]',
      list: ['[Circular]', { parent: '[Circular]' }],
    });
  });

  it('replaces what lies past the depth bound instead of printing it unsearched', () => {
    const log = captureLog();
    log.logger.info({ shallow: nestedToken(MAX_REDACTION_DEPTH - 1, 'ok-S3CRET-1') });
    log.logger.info({ deep: nestedToken(MAX_REDACTION_DEPTH + 5, 'deep-S3CRET-2') });
    log.logger.info({ veryDeep: nestedToken(100_000, 'very-deep-S3CRET-3') });
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.text()).toContain('nested too deep to search');
    expect(log.lines()).toHaveLength(3);
  });

  it('stops searching a graph that fans out past the size bound, and logs the line', () => {
    const log = captureLog();
    // 2^40 paths through 40 shared nodes: a walk without a budget would never finish.
    let shared: Record<string, unknown> = { token: 'fan-S3CRET-1' };
    for (let level = 0; level < 40; level++) shared = { left: shared, right: shared };
    log.logger.info({ shared });
    expect(log.text()).not.toMatch(/S3CRET/);
    expect(log.lines()).toHaveLength(1);
  });
});

describe('redactSecrets', () => {
  it('returns the very same value when nothing in it is secret', () => {
    const value = { a: { b: [1, { c: 'd' }] }, when: new Date(0) };
    expect(redactSecrets(value)).toBe(value);
  });

  it('searches what toJSON returns, as JSON.stringify would print it', () => {
    const value = { config: { toJSON: () => ({ endpoint: 'https://h', apiKey: 'json-S3CRET' }) } };
    expect(JSON.stringify(redactSecrets(value))).toBe(
      JSON.stringify({ config: { endpoint: 'https://h', apiKey: REDACTED } }),
    );
  });

  it('replaces a value whose getter throws rather than print part of it', () => {
    const value = {
      get broken(): string {
        throw new Error('no');
      },
    };
    expect(redactSecrets({ value })).toBe('[redacted: could not be searched]');
  });
});
