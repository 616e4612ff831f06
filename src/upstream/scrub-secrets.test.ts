// createSecretScrubber: credentials echoed by an upstream never survive into messages.
import { describe, expect, it } from 'vitest';
import { createSecretScrubber } from './scrub-secrets.js';

describe('createSecretScrubber', () => {
  it('replaces every occurrence of every secret', () => {
    const scrub = createSecretScrubber(['tok-123', 'key-456']);
    expect(scrub('bad token tok-123 (tok-123), key key-456')).toBe(
      'bad token [redacted] ([redacted]), key [redacted]',
    );
  });

  it('removes a secret that contains another one whole', () => {
    const scrub = createSecretScrubber(['abc', 'Bearer abc']);
    expect(scrub('got Bearer abc')).toBe('got [redacted]');
  });

  it('leaves text alone when there are no secrets', () => {
    expect(createSecretScrubber(['', ''])('nothing to hide')).toBe('nothing to hide');
  });
});
