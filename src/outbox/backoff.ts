import type { RetryOptions } from './options.js';

/**
 * Delay before the next send after a retryable failure on attempt `attempt` (1 = the first send):
 * exponential backoff with jitter, and never less than the server's `Retry-After` (capped by
 * `maxRetryAfterMs`; no jitter below it: the server said when, not "about when"). Always a
 * finite number from 0 to `max(maxDelayMs, maxRetryAfterMs)`, whatever `retryAfterMs` is
 * (Infinity counts as the cap, NaN or a negative one as no floor).
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  retry: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** Math.max(0, attempt - 1));
  const spread = exponential * retry.jitter;
  const jittered = Math.min(retry.maxDelayMs, Math.max(0, exponential - spread + 2 * spread * random()));
  const serverFloor = retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(retryAfterMs, retry.maxRetryAfterMs) : 0;
  return Math.round(Math.max(jittered, serverFloor));
}
