import * as z from 'zod/mini';
import { MAX_RETRY_AFTER_MS } from './retry-after-values.js';
import { MAX_TIMEOUT_MS } from './timer-limit.js';

/** How a one-shot call is retried (p-retry's own options, plus a cap on `Retry-After`). */
export interface CallRetryOptions {
  /** Tries after the first one. @default 3 */
  readonly retries?: number;
  /** Wait before the first retry, in ms. @default 1000 */
  readonly minTimeout?: number;
  /** Longest wait between two tries, in ms. @default 30000 (or `minTimeout`, if larger) */
  readonly maxTimeout?: number;
  /** Growth of the wait per retry. @default 2 */
  readonly factor?: number;
  /**
   * Longest `Retry-After` the call waits for. A server asking for more ends the retries: the
   * call rejects with that `ApiError` (its `retryAfterMs` says when to try again). @default 60000
   */
  readonly maxRetryAfterMs?: number;
}

/**
 * The `retry` option of a call: `true` for the defaults, a number of retries (with the other
 * defaults), or the options. `false`, `0` or absent: one try, no retry.
 */
export type CallRetry = boolean | number | CallRetryOptions;

export const DEFAULT_CALL_RETRY: Required<CallRetryOptions> = {
  retries: 3,
  minTimeout: 1000,
  maxTimeout: 30_000,
  factor: 2,
  maxRetryAfterMs: 60_000,
};

/** What each option must be, for the TypeError (a function: a module-level table of template strings would stay in every bundle). */
function ruleOf(key: keyof CallRetryOptions): string {
  const rules: Record<keyof CallRetryOptions, string> = {
    retries: 'a whole number ≥ 0',
    minTimeout: `a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}`,
    maxTimeout: `a number of milliseconds from 0 to ${MAX_TIMEOUT_MS}, not below retry.minTimeout`,
    factor: 'a finite number ≥ 1',
    maxRetryAfterMs: `a number of milliseconds from 0 to ${MAX_RETRY_AFTER_MS}`,
  };
  return rules[key];
}

/** Built on first use: bundles that hold the outbox but not this call carry none of it. */
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

function buildOptionsSchema() {
  const milliseconds = (max: number) => z.optional(z.number().check(z.gte(0), z.lte(max)));
  return z.strictObject({
    retries: z.optional(z.number().check(z.int(), z.gte(0))),
    minTimeout: milliseconds(MAX_TIMEOUT_MS),
    maxTimeout: milliseconds(MAX_TIMEOUT_MS),
    factor: z.optional(z.number().check(z.gte(1))),
    maxRetryAfterMs: milliseconds(MAX_RETRY_AFTER_MS),
  });
}

/**
 * The `retry` option with its defaults, or `undefined` for "no retry".
 * @throws TypeError naming the option (`retry`, `retry.minTimeout`, …).
 */
export function resolveCallRetry(retry: unknown): Required<CallRetryOptions> | undefined {
  if (retry === undefined || retry === false || retry === 0) return undefined;
  if (retry === true) return DEFAULT_CALL_RETRY;
  const options = typeof retry === 'number' ? { retries: retry } : retry;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('retry must be a boolean, a number of retries or { retries?, minTimeout?, maxTimeout?, factor?, maxRetryAfterMs? }');
  }
  const parsed = (optionsSchema ??= buildOptionsSchema()).safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw new TypeError(`unknown option retry.${issue.keys[0]}`);
    const key = issue.path[0] as keyof CallRetryOptions;
    throw new TypeError(`${typeof retry === 'number' ? 'retry' : `retry.${key}`} must be ${ruleOf(key)}`);
  }
  const minTimeout = parsed.data.minTimeout ?? DEFAULT_CALL_RETRY.minTimeout;
  const maxTimeout = parsed.data.maxTimeout ?? Math.max(DEFAULT_CALL_RETRY.maxTimeout, minTimeout);
  if (maxTimeout < minTimeout) throw new TypeError(`retry.maxTimeout must be ${ruleOf('maxTimeout')}`);
  return {
    retries: parsed.data.retries ?? DEFAULT_CALL_RETRY.retries,
    minTimeout,
    maxTimeout,
    factor: parsed.data.factor ?? DEFAULT_CALL_RETRY.factor,
    maxRetryAfterMs: parsed.data.maxRetryAfterMs ?? DEFAULT_CALL_RETRY.maxRetryAfterMs,
  };
}
