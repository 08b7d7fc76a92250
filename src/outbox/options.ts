import { assertAuth, type Auth } from '../api/auth.js';
import { assertProjectId, normalizeEndpoint } from '../api/endpoint.js';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../api/request.js';
import { LanguageSchema, type Language } from '../api/schemas.js';
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

export const DEFAULT_RETRY: Required<RetryOptions> = {
  minDelayMs: 1000,
  maxDelayMs: 300_000,
  factor: 2,
  jitter: 0.2,
  maxAttempts: 20,
  maxRetryAfterMs: 3_600_000,
};
export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3_600_000;

const KNOWN = new Set<string>([
  'endpoint', 'projectId', 'auth', 'language', 'store', 'batchSize', 'concurrency', 'maxRequestsPerSecond',
  'requestTimeoutMs', 'maxAgeMs', 'retry', 'signal', 'fetch', 'now',
]);
const KNOWN_RETRY = new Set<string>(Object.keys(DEFAULT_RETRY));

type NumberRule = { integer?: boolean; min: number; max?: number; minExclusive?: boolean; allowInfinity?: boolean };

function checkNumber(name: string, value: unknown, fallback: number, rule: NumberRule): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) ? !rule.integer || Number.isInteger(value) : value === Infinity && rule.allowInfinity === true) &&
    (rule.minExclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a number';
    const range = `${rule.minExclusive ? '>' : '≥'} ${rule.min}${rule.max === undefined ? '' : ` and ≤ ${rule.max}`}`;
    throw new TypeError(`${name} must be ${kind} ${range}, got ${typeof value === 'number' ? value : typeof value}`);
  }
  return value as number;
}

function rejectUnknown(options: object, known: Set<string>, prefix: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`unknown option ${prefix}${key}`);
  }
}

/** Applies defaults and checks every option. @throws TypeError naming the first bad option. */
export function resolveOptions(options: OutboxOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  rejectUnknown(options, KNOWN, '');
  const retryInput = options.retry ?? {};
  if (retryInput === null || typeof retryInput !== 'object' || Array.isArray(retryInput)) throw new TypeError('retry must be an object');
  rejectUnknown(retryInput, KNOWN_RETRY, 'retry.');
  if (options.language !== undefined && !LanguageSchema.safeParse(options.language).success) {
    throw new TypeError(`language must be one of ${LanguageSchema.options.join(', ')}`);
  }
  const store = options.store;
  if (store !== undefined && (store === null || typeof store !== 'object' || !['load', 'putMany', 'deleteMany', 'setMeta', 'close'].every((m) => typeof (store as unknown as Record<string, unknown>)[m] === 'function'))) {
    throw new TypeError('store must implement QueueStore (load, putMany, deleteMany, setMeta, close)');
  }
  const signal = options.signal as Partial<AbortSignal> | null | undefined;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function' && typeof signal.removeEventListener === 'function')) {
    throw new TypeError('signal must be an AbortSignal');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('fetch must be a function');
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('now must be a function returning ms since the epoch');

  const minDelayMs = checkNumber('retry.minDelayMs', retryInput.minDelayMs, DEFAULT_RETRY.minDelayMs, { min: 0 });
  const retry: Required<RetryOptions> = {
    minDelayMs,
    maxDelayMs: checkNumber('retry.maxDelayMs', retryInput.maxDelayMs, Math.max(DEFAULT_RETRY.maxDelayMs, minDelayMs), { min: minDelayMs }),
    factor: checkNumber('retry.factor', retryInput.factor, DEFAULT_RETRY.factor, { min: 1 }),
    jitter: checkNumber('retry.jitter', retryInput.jitter, DEFAULT_RETRY.jitter, { min: 0, max: 1 }),
    maxAttempts: checkNumber('retry.maxAttempts', retryInput.maxAttempts, DEFAULT_RETRY.maxAttempts, { integer: true, min: 1, allowInfinity: true }),
    maxRetryAfterMs: checkNumber('retry.maxRetryAfterMs', retryInput.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs, { min: 0 }),
  };
  return {
    endpoint: normalizeEndpoint(options.endpoint),
    projectId: assertProjectId(options.projectId),
    auth: assertAuth(options.auth),
    language: options.language,
    store,
    batchSize: checkNumber('batchSize', options.batchSize, DEFAULT_BATCH_SIZE, { integer: true, min: 1, max: 10_000 }),
    concurrency: checkNumber('concurrency', options.concurrency, 1, { integer: true, min: 1, max: 64 }),
    maxRequestsPerSecond:
      options.maxRequestsPerSecond === undefined
        ? undefined
        : checkNumber('maxRequestsPerSecond', options.maxRequestsPerSecond, 0, { min: 0, minExclusive: true }),
    requestTimeoutMs: checkNumber('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_TIMEOUT_MS, { min: 0, minExclusive: true, max: MAX_TIMEOUT_MS }),
    maxAgeMs: checkNumber('maxAgeMs', options.maxAgeMs, DEFAULT_MAX_AGE_MS, { min: 0, minExclusive: true }),
    retry,
    signal: options.signal,
    fetch: options.fetch,
    clock: clockFrom(options.now),
  };
}
