// redactUrlCredentials: URLs keep their host and path, never their password.
import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from './redact-url-credentials.js';

describe('redactUrlCredentials', () => {
  it('masks user and password wherever a URL appears in the text', () => {
    expect(redactUrlCredentials('got "ftp://user:S3CRET@host/x" and redis://:pw@r:6379')).toBe(
      'got "ftp://[redacted]@host/x" and redis://[redacted]@r:6379',
    );
  });

  it('leaves URLs without credentials alone', () => {
    expect(redactUrlCredentials('http://inventory.internal/api?a=b@c')).toBe(
      'http://inventory.internal/api?a=b@c',
    );
  });
});
