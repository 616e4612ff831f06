// classifyHttpStatus: what of an error body becomes the client-facing message, the code and the logged text.
import { describe, expect, it } from 'vitest';
import { type AnswerContext, classifyHttpStatus } from './classify-http-status.js';
import { createSecretScrubber } from './scrub-secrets.js';

const context: AnswerContext = {
  label: 'CRM API',
  idempotent: true,
  scrub: createSecretScrubber(['k3y']),
};

describe('classifyHttpStatus', () => {
  it('keeps the free text out of the message and in upstreamMessage, scrubbed and cut to 300 characters', () => {
    const failure = classifyHttpStatus(
      422,
      {},
      { error: 'bad_input', message: `key k3y ${'x'.repeat(400)}` },
      context,
    );
    expect(failure).toMatchObject({
      kind: 'rejected',
      message: 'CRM API rejected the request (422 bad_input)',
      code: 'bad_input',
    });
    expect(failure.upstreamMessage).toHaveLength(300);
    expect(failure.upstreamMessage).toMatch(/^key \[redacted\] x+$/);
  });

  it('appends the free text to the message when the target exposes upstream messages', () => {
    const failure = classifyHttpStatus(
      503,
      {},
      { error: 'down', message: 'k3y store offline' },
      {
        ...context,
        exposeUpstreamMessages: true,
      },
    );
    expect(failure.message).toBe('CRM API answered 503: [redacted] store offline');
  });

  it('treats an `error` that is not a machine code as free text, not as the code', () => {
    const failure = classifyHttpStatus(
      400,
      {},
      { error: 'Customer 7 is blocked', message: 'ask ops' },
      context,
    );
    expect(failure).toMatchObject({ message: 'CRM API rejected the request (400)', code: undefined });
    expect(failure.upstreamMessage).toBe('Customer 7 is blocked: ask ops');
  });

  it('has no upstreamMessage when the body says nothing in free text', () => {
    expect(classifyHttpStatus(409, {}, { error: 'duplicate' }, context)).not.toHaveProperty(
      'upstreamMessage',
    );
    expect(classifyHttpStatus(500, {}, undefined, context)).not.toHaveProperty('upstreamMessage');
  });

  it('calls a 3xx a redirect the gateway does not follow, and any other unexpected status unexpected', () => {
    expect(classifyHttpStatus(302, { location: 'http://elsewhere' }, undefined, context)).toMatchObject({
      kind: 'invalidResponse',
      message: 'CRM API answered 302: a redirect, which the gateway never follows',
      retryable: false,
      httpStatus: 302,
    });
    expect(classifyHttpStatus(101, {}, undefined, context).message).toBe('CRM API answered 101: unexpected');
  });
});
