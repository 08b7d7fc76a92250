export { MAX_RETRY_AFTER_MS } from './retry-after-values.js';
export { parseHttpDate } from './http-date.js';
import { parseHttpDate } from './http-date.js';
import { readRetryAfter } from './retry-after-values.js';

/**
 * Parses a `Retry-After` header into milliseconds from `now`: delta-seconds (`"120"`, also
 * fractional) or an HTTP-date. A date in the past means 0. Anything unreadable is `undefined`,
 * so the caller falls back to its own backoff. The result is always a finite whole number from
 * 0 to `MAX_RETRY_AFTER_MS` (a huge value is clamped, never `Infinity`).
 *
 * When the header came several times (joined by ", "), the largest readable value wins: the
 * conservative reading of a server that asked for more than one delay. No jitter here; the
 * outbox caps the delay with `retry.maxRetryAfterMs`.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  return readRetryAfter(value, now, parseHttpDate);
}
