// The delay before a retry becomes a stored next-attempt time and the endpoint's gate: whatever
// a server's Retry-After parsed to, it is a finite number within the caps, so what is written
// can always be read back (JSON would write Infinity or NaN as null).
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/outbox/backoff.js';
import { DEFAULT_RETRY } from '../../src/outbox/options.js';

const RETRY = { ...DEFAULT_RETRY, minDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000, jitter: 0 };

describe('retryDelayMs', () => {
  it.each([
    ['Infinity', Infinity, 5_000],
    ['1e309 (also Infinity)', 1e309, 5_000],
    ['far above the cap', 3_600_000, 5_000],
    ['NaN', Number.NaN, 100],
    ['negative', -1, 100],
    ['zero', 0, 100],
    ['none', undefined, 100],
  ])('with a Retry-After of %s is finite and capped', (_what, retryAfterMs, expected) => {
    const delay = retryDelayMs(1, retryAfterMs, RETRY);
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBe(expected);
  });

  it('stays finite and at maxDelayMs after any number of attempts (factor ** attempts overflows)', () => {
    for (const attempt of [1, 10, 100, 10_000, Number.MAX_SAFE_INTEGER]) {
      const delay = retryDelayMs(attempt, undefined, { ...RETRY, factor: 10 });
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeLessThanOrEqual(RETRY.maxDelayMs);
    }
  });
});
