import type { Auth } from '../api/auth.js';
import type { Language } from '../api/schemas.js';
import { DEFAULT_TIMEOUT_MS } from '../api/request.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_AGE_MS, outboxOptionsSchema } from '../options/outbox-options.js';
import { parseOptions } from '../options/parse-options.js';
import type { QueueStore } from '../store/QueueStore.js';
import { clockFrom, type Clock } from './clock.js';

/** How failed sends are retried. */
export interface RetryOptions {
  /** Delay after the first retryable failure. @default 1000 */
  readonly minDelayMs?: number;
  /** Longest delay the exponential backoff grows to. @default 300000 (5 minutes) */
  readonly maxDelayMs?: number;
  /** Growth of the delay per attempt. @default 2 */
  readonly factor?: number;
  /** Random spread of a computed delay, 0..1 (0.2: ±20%). Never applied below a `Retry-After`. @default 0.2 */
  readonly jitter?: number;
  /** Sends of one record, the first included, before it is dead-lettered (`max-attempts`). @default 20 */
  readonly maxAttempts?: number;
  /** Cap on a server's `Retry-After`, so a broken server cannot park the queue for days. @default 3600000 (1 hour) */
  readonly maxRetryAfterMs?: number;
}

export interface OutboxOptions {
  /** Service base URL, e.g. `https://workspace.ap-southeast-1.myhuaweicloud.com`. `https:` only, except loopback. */
  readonly endpoint: string;
  /** Default project of enqueued records (`enqueue(records, { projectId })` overrides it). */
  readonly projectId: string;
  /** `{ token }` (a string or a provider called before each request) or `{ ak, sk, securityToken? }`. Never stored. */
  readonly auth: Auth;
  /** Default `X-Language` of enqueued records. @default undefined (header not sent) */
  readonly language?: Language;
  /** Where the queue lives. A store passed here belongs to the caller, who closes it. @default new MemoryStore() */
  readonly store?: QueueStore;
  /** Records per request. @default 50 */
  readonly batchSize?: number;
  /** Requests in flight at once. @default 1 */
  readonly concurrency?: number;
  /** Pacing: at most this many requests started per second (keeps under the gateway's throttle). @default undefined (no pacing) */
  readonly maxRequestsPerSecond?: number;
  /** Time allowed for one request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Age after which a record is dead-lettered (`expired`) instead of sent. @default 604800000 (7 days) */
  readonly maxAgeMs?: number;
  readonly retry?: RetryOptions;
  /** Aborting it closes the outbox (waits for the request in flight, as `close()` does). */
  readonly signal?: AbortSignal;
  /** `fetch` to use. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * For tests and simulations: the clock the outbox reads every time from (enqueue times,
   * backoff, the endpoint gate, expiry). Waits still run on real timers, computed from this
   * clock and checked against it again when they fire. @default Date.now
   */
  readonly now?: () => number;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  endpoint: string;
  projectId: string;
  auth: Auth;
  language: Language | undefined;
  store: QueueStore | undefined;
  batchSize: number;
  concurrency: number;
  maxRequestsPerSecond: number | undefined;
  requestTimeoutMs: number;
  maxAgeMs: number;
  retry: Required<RetryOptions>;
  signal: AbortSignal | undefined;
  fetch: typeof globalThis.fetch | undefined;
  /** Where every time comes from (`options.now` or the machine's clock). */
  clock: Clock;
}

export { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_AGE_MS, DEFAULT_RETRY } from '../options/outbox-options.js';

/**
 * Checks every option with the one options schema (`outboxOptionsSchema`), and applies the
 * defaults (`retry`'s are applied by the schema).
 * @throws TypeError naming the first bad option.
 */
export function resolveOptions(options: OutboxOptions): ResolvedOptions {
  const checked = parseOptions(outboxOptionsSchema(), options);
  return {
    endpoint: checked.endpoint,
    projectId: checked.projectId,
    auth: checked.auth,
    language: checked.language,
    store: checked.store,
    batchSize: checked.batchSize ?? DEFAULT_BATCH_SIZE,
    concurrency: checked.concurrency ?? DEFAULT_CONCURRENCY,
    maxRequestsPerSecond: checked.maxRequestsPerSecond,
    requestTimeoutMs: checked.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAgeMs: checked.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    retry: checked.retry,
    signal: checked.signal,
    fetch: checked.fetch,
    clock: clockFrom(checked.now),
  };
}
