// classifyTransportError: failed TLS handshakes and refused connections sent nothing, so they are always retryable.
import { describe, expect, it } from 'vitest';
import { classifyTransportError } from './classify-transport-error.js';

function errorWithCode(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('classifyTransportError', () => {
  it.each(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    'reports %s as a failed TLS handshake: nothing sent, retryable without a key',
    (code) => {
      expect(classifyTransportError('Inventory API', errorWithCode(code), false)).toEqual({
        kind: 'unavailable',
        message: `Inventory API could not be reached: the TLS handshake failed (${code})`,
        retryable: true,
        attempts: 1,
        requestMayHaveArrived: false,
      });
    },
  );

  it('reports a refused connection as unreachable, and a socket closed after sending as maybe arrived', () => {
    expect(classifyTransportError('CRM API', errorWithCode('ECONNREFUSED'), false).message).toBe(
      'CRM API could not be reached (ECONNREFUSED)',
    );
    expect(classifyTransportError('CRM API', errorWithCode('UND_ERR_SOCKET'), false)).toMatchObject({
      retryable: false,
      requestMayHaveArrived: true,
    });
  });
});
