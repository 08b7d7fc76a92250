import pRetry from 'p-retry';
import { isApiError } from '../errors/ApiError.js';
import { isOutboxError } from '../errors/OutboxError.js';
import type { CallRetryOptions } from './call-retry-options.js';

// Loaded only when a call asks for `retry` (a dynamic import the bundler splits off), so the
// client without it carries no p-retry.

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export type AbortableWait = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

/** `setTimeout` as an `AbortableWait`. */
const waitFor: AbortableWait = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * The wait p-retry puts before retry number `retriesConsumed + 1` (its documented formula, with
 * `randomize` off): `min(round(minTimeout × factor^retriesConsumed), maxTimeout)`.
 */
function backoffMs(retriesConsumed: number, retry: Required<CallRetryOptions>): number {
  return Math.min(Math.round(retry.minTimeout * retry.factor ** retriesConsumed), retry.maxTimeout);
}

function isRetryable(error: unknown): boolean {
  return isOutboxError(error) && error.retryable;
}

/**
 * Runs `attempt` and, while it fails with a retryable error (`retryable`: 429, 5xx, a timeout, no
 * answer), tries again with p-retry's exponential backoff, at most `retry.retries` times. Never
 * sooner than an `ApiError`'s `Retry-After`: p-retry's wait is topped up to it (no jitter: the
 * server said when); one above `retry.maxRetryAfterMs` ends the retries with that error. Anything
 * else (400, 401, 403, an `AuthError`, …) rejects at once. When `signal` aborts, during a try or
 * a wait, this rejects with its reason and starts no further try.
 *
 * `wait` serves the top-up waits (tests observe them); p-retry's own waits use its timers.
 */
export async function retryingCall<T>(
  attempt: () => Promise<T>,
  retry: Required<CallRetryOptions>,
  signal: AbortSignal | undefined,
  wait: AbortableWait = waitFor,
): Promise<T> {
  try {
    return await pRetry(attempt, {
      retries: retry.retries,
      minTimeout: retry.minTimeout,
      maxTimeout: retry.maxTimeout,
      factor: retry.factor,
      randomize: false,
      signal,
      // p-retry has no Retry-After option; it calls this before its own wait, and awaits it.
      onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
        if (retriesLeft <= 0 || !isRetryable(error) || !isApiError(error) || error.retryAfterMs === undefined) return;
        if (error.retryAfterMs > retry.maxRetryAfterMs) throw error;
        const topUp = error.retryAfterMs - backoffMs(retriesConsumed, retry);
        if (topUp > 0) await wait(topUp, signal);
      },
      shouldRetry: ({ error }) => isRetryable(error),
    });
  } catch (error) {
    // p-retry turns a thrown non-Error (an abort reason may be any value) into a TypeError.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
