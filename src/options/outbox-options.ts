// The outbox's options: the shared call options plus the engine's own. Unknown keys are refused
// (a misspelt `batchsize` must not be silently ignored).
import * as z from 'zod/mini';
import type { Language } from '../api/schemas.js';
import type { QueueStore } from '../store/QueueStore.js';
import type { RetryOptions } from '../outbox/options.js';
import { languageOption, projectIdOption, sharedCallFields, timeoutOption } from './call-options.js';
import { parseOptions } from './parse-options.js';
import { aFunction, lazy, numberIn, withMembers } from './option-schemas.js';

/** `retry` when not given, field by field. `maxDelayMs` is never below `minDelayMs`. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  minDelayMs: 1000,
  maxDelayMs: 300_000,
  factor: 2,
  jitter: 0.2,
  maxAttempts: 20,
  maxRetryAfterMs: 3_600_000,
};
export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_CONCURRENCY = 1;
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3_600_000;

const QUEUE_STORE_METHODS = ['load', 'putMany', 'deleteMany', 'setMeta', 'close'] as const;

/** A given `retry`, before its defaults. */
type RetryInput = { -readonly [K in keyof RetryOptions]?: number | undefined };

/**
 * `DEFAULT_RETRY` under what was given. The default `maxDelayMs` follows a larger `minDelayMs`;
 * a given one must not be below it.
 */
function withRetryDefaults(given: RetryInput, payload: z.core.ParsePayload): Required<RetryOptions> {
  const retry = { ...DEFAULT_RETRY };
  for (const [key, value] of Object.entries(given) as [keyof RetryOptions, number | undefined][]) {
    if (value !== undefined) retry[key] = value;
  }
  if (given.maxDelayMs === undefined) retry.maxDelayMs = Math.max(DEFAULT_RETRY.maxDelayMs, retry.minDelayMs);
  if (retry.maxDelayMs < retry.minDelayMs) {
    payload.issues.push({
      code: 'custom',
      path: ['maxDelayMs'],
      input: retry.maxDelayMs,
      message: `must be a number ≥ ${retry.minDelayMs}, got ${retry.maxDelayMs}`,
    });
  }
  return retry;
}

/** `retry`: absent (or `null`, as before) is `{}`; the result has every field. */
function retrySchema() {
  const delayMs = numberIn({ min: 0 });
  const given = z.strictObject(
    {
      minDelayMs: z.optional(delayMs),
      maxDelayMs: z.optional(delayMs),
      factor: z.optional(numberIn({ min: 1 })),
      jitter: z.optional(numberIn({ min: 0, max: 1 })),
      maxAttempts: z.optional(numberIn({ integer: true, min: 1, orInfinity: true })),
      maxRetryAfterMs: z.optional(delayMs),
    },
    { error: 'must be an object' },
  );
  return z.pipe(z.pipe(z.transform((retry: unknown) => retry ?? {}), given), z.transform(withRetryDefaults));
}

/**
 * `OutboxOptions`, checked (`resolveOptions` adds the defaults; `retry` comes out complete).
 * A store or signal is passed on as it is, not copied.
 */
export const outboxOptionsSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject(
    {
      ...sharedCallFields,
      store: z.optional(
        withMembers<QueueStore>(
          Object.fromEntries(QUEUE_STORE_METHODS.map((method) => [method, aFunction()])),
          `must implement QueueStore (${QUEUE_STORE_METHODS.join(', ')})`,
        ),
      ),
      batchSize: z.optional(numberIn({ integer: true, min: 1, max: 10_000 })),
      concurrency: z.optional(numberIn({ integer: true, min: 1, max: 64 })),
      maxRequestsPerSecond: z.optional(numberIn({ min: 0, minExclusive: true })),
      requestTimeoutMs: z.optional(timeoutOption),
      maxAgeMs: z.optional(numberIn({ min: 0, minExclusive: true })),
      retry: retrySchema(),
      now: z.optional(aFunction<() => number>('must be a function returning ms since the epoch')),
    },
    { error: 'must be an object' },
  ),
);

const enqueueOptionsSchema = /* @__PURE__ */ lazy(() =>
  // Strict: a misspelt `projectid` must not send records to the default project.
  z.strictObject({ projectId: z.optional(projectIdOption), language: languageOption }, { error: 'must be an object' }),
);

/**
 * Checks `enqueue()`'s options, by the same rules as the outbox's own `projectId` and
 * `language`. An absent one is `undefined` (the outbox's applies).
 * @throws TypeError naming the bad option.
 */
export function parseEnqueueOptions(options: unknown): { projectId: string | undefined; language: Language | undefined } {
  const { projectId, language } = parseOptions(enqueueOptionsSchema(), options);
  return { projectId, language };
}
