// Options are checked by one schema (src/options/): the client and the outbox refuse the same bad
// value of a shared option with the same TypeError, every option of either names itself when
// bad, the Node and browser entries' own options too; and what passes comes out as before:
// the documented defaults, live objects (store, signal, auth, fetch) passed on as they are.
import { describe, expect, it } from 'vitest';
import { checkCallOptions, DEFAULT_TIMEOUT_MS } from '../../src/api/request.js';
import { resendAuthorizationMails } from '../../src/api/resend.js';
import { parseBrowserExtras, parseNodeExtras } from '../../src/options/host-options.js';
import { parseEnqueueOptions } from '../../src/options/outbox-options.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_AGE_MS, DEFAULT_RETRY, resolveOptions, type OutboxOptions } from '../../src/outbox/options.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { rejectionOf, thrownBy } from '../helpers/caught.js';
import { PROJECT } from '../helpers/project.js';

const VALID = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'a-token' } } as const;
const SECRET = 'tok-SECRET-must-not-show';

const outboxWith = (overrides: Record<string, unknown>) => () => resolveOptions({ ...VALID, ...overrides } as unknown as OutboxOptions);
const callWith = (overrides: Record<string, unknown>) => () => checkCallOptions({ ...VALID, ...overrides } as never);

/** Bad values of the options the client and the outbox share. */
const SHARED_BAD: readonly (readonly [option: string, value: unknown])[] = [
  ['endpoint', 'ftp://127.0.0.1'],
  ['endpoint', `https://user:${SECRET}@example.com`],
  ['projectId', PROJECT.toUpperCase()],
  ['projectId', 42],
  ['auth', { token: SECRET, ak: 'AK-visible', sk: SECRET }],
  ['auth', { ak: 'AK-visible', sk: SECRET, securityToken: 7 }],
  ['language', 'EN-US'],
  ['signal', { aborted: false }],
  ['fetch', 'fetch'],
];

describe('a shared option: the client and the outbox refuse a bad value with the same TypeError', () => {
  it.each(SHARED_BAD)('%s = %j', (option, value) => {
    const fromOutbox = thrownBy(outboxWith({ [option]: value }));
    const fromClient = thrownBy(callWith({ [option]: value }));
    expect(fromOutbox).toBeInstanceOf(TypeError);
    expect(fromOutbox.message).toMatch(new RegExp(`^${option}\\b`));
    expect(fromClient.message).toBe(fromOutbox.message);
    // No cause: zod's issues hold the input, and the input may hold secrets.
    expect(fromOutbox.cause).toBeUndefined();
    expect(String(fromOutbox)).not.toContain(SECRET);
  });

  it('the request timeout has one rule: timeoutMs (client) and requestTimeoutMs (outbox) word it alike', () => {
    for (const value of [0, -1, 2 ** 31, Number.NaN, Infinity, '1000']) {
      const fromOutbox = thrownBy(outboxWith({ requestTimeoutMs: value })).message;
      const fromClient = thrownBy(callWith({ timeoutMs: value })).message;
      expect(fromOutbox).toMatch(/^requestTimeoutMs must be a number > 0 and ≤ 2147483647, got /);
      expect(fromClient).toBe(fromOutbox.replace('requestTimeoutMs', 'timeoutMs'));
    }
  });

  it('the client refuses them before any request (nothing listens on the endpoint: a request would be a NetworkError)', async () => {
    const error = await rejectionOf(resendAuthorizationMails({ ...VALID, language: 'de-de' as never, records: [{ id: 'r1' }] }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('language must be one of zh-cn, en-us, fr-fr');
  });
});

describe('the outbox: the wording of each rule', () => {
  it.each([
    [{ batchSize: 0 }, 'batchSize must be an integer ≥ 1 and ≤ 10000, got 0'],
    [{ batchSize: '10' }, 'batchSize must be an integer ≥ 1 and ≤ 10000, got string'],
    [{ concurrency: 2.5 }, 'concurrency must be an integer ≥ 1 and ≤ 64, got 2.5'],
    [{ maxRequestsPerSecond: 0 }, 'maxRequestsPerSecond must be a number > 0, got 0'],
    [{ maxAgeMs: Number.NaN }, 'maxAgeMs must be a number > 0, got NaN'],
    [{ retry: 'fast' }, 'retry must be an object'],
    [{ retry: { minDelayMs: -1 } }, 'retry.minDelayMs must be a number ≥ 0, got -1'],
    [{ retry: { minDelayMs: 100, maxDelayMs: 50 } }, 'retry.maxDelayMs must be a number ≥ 100, got 50'],
    [{ retry: { maxDelayMs: 500 } }, 'retry.maxDelayMs must be a number ≥ 1000, got 500'],
    [{ retry: { jitter: 2 } }, 'retry.jitter must be a number ≥ 0 and ≤ 1, got 2'],
    [{ retry: { maxAttempts: 1.5 } }, 'retry.maxAttempts must be an integer ≥ 1, got 1.5'],
    [{ retry: { attempts: 3 } }, 'unknown option retry.attempts'],
    [{ batchsize: 5 }, 'unknown option batchsize'],
    [{ store: { load: () => undefined } }, 'store must implement QueueStore (load, putMany, deleteMany, setMeta, close)'],
    [{ now: 5 }, 'now must be a function returning ms since the epoch'],
  ])('%j: %s', (overrides, message) => {
    expect(thrownBy(outboxWith(overrides)).message).toBe(message);
  });

  it.each([null, 'options', undefined, []])('options %j: options must be an object', (options) => {
    expect(thrownBy(() => resolveOptions(options as never)).message).toBe('options must be an object');
    expect(thrownBy(() => checkCallOptions(options as never)).message).toBe('options must be an object');
  });
});

describe('what passes comes out as before', () => {
  it('the documented defaults', () => {
    const resolved = resolveOptions(VALID);
    expect(resolved).toMatchObject({
      endpoint: VALID.endpoint,
      projectId: PROJECT,
      language: undefined,
      store: undefined,
      batchSize: DEFAULT_BATCH_SIZE,
      concurrency: 1,
      maxRequestsPerSecond: undefined,
      requestTimeoutMs: DEFAULT_TIMEOUT_MS,
      maxAgeMs: DEFAULT_MAX_AGE_MS,
      retry: DEFAULT_RETRY,
      signal: undefined,
      fetch: undefined,
    });
    expect(DEFAULT_RETRY).toEqual({ minDelayMs: 1000, maxDelayMs: 300_000, factor: 2, jitter: 0.2, maxAttempts: 20, maxRetryAfterMs: 3_600_000 });
    expect(checkCallOptions(VALID)).toEqual({ endpoint: VALID.endpoint, timeoutMs: DEFAULT_TIMEOUT_MS });
  });

  it('a given retry field overrides its default only; the default maxDelayMs follows a larger minDelayMs', () => {
    expect(resolveOptions({ ...VALID, retry: { factor: 3 } }).retry).toEqual({ ...DEFAULT_RETRY, factor: 3 });
    expect(resolveOptions({ ...VALID, retry: { minDelayMs: 600_000 } }).retry.maxDelayMs).toBe(600_000);
    expect(resolveOptions({ ...VALID, retry: { maxAttempts: Infinity } }).retry.maxAttempts).toBe(Infinity);
    expect(resolveOptions({ ...VALID, retry: { minDelayMs: undefined } }).retry).toEqual(DEFAULT_RETRY);
  });

  it('the endpoint is normalised; store, signal, fetch and the token provider are the very objects given (auth is read once, own keys only)', () => {
    const store = new MemoryStore();
    const signal = new AbortController().signal;
    const auth = { token: () => 'a-token' };
    const fetch: typeof globalThis.fetch = async () => new Response();
    const resolved = resolveOptions({ ...VALID, endpoint: 'https://proxy.example.com/workspace/', store, signal, auth, fetch });
    expect(resolved.endpoint).toBe('https://proxy.example.com/workspace');
    expect(resolved.store).toBe(store);
    expect(resolved.signal).toBe(signal);
    expect(resolved.auth).toEqual(auth);
    expect((resolved.auth as { token: unknown }).token).toBe(auth.token);
    expect(resolved.fetch).toBe(fetch);
  });

  it('options.now becomes the clock', () => {
    expect(resolveOptions({ ...VALID, now: () => 42 }).clock.now()).toBe(42);
  });
});

describe("enqueue()'s options", () => {
  it('absent ones are undefined; bad ones are named with the outbox rules', () => {
    expect(parseEnqueueOptions({})).toEqual({ projectId: undefined, language: undefined });
    expect(parseEnqueueOptions({ projectId: PROJECT, language: 'fr-fr' })).toEqual({ projectId: PROJECT, language: 'fr-fr' });
    expect(thrownBy(() => parseEnqueueOptions({ projectId: 'p1' })).message).toMatch(/^projectId must be a project ID: 32 lowercase hex/);
    expect(thrownBy(() => parseEnqueueOptions({ language: 'de' })).message).toBe('language must be one of zh-cn, en-us, fr-fr');
    expect(thrownBy(() => parseEnqueueOptions(null)).message).toBe('options must be an object');
  });
});

describe("the entries' own options", () => {
  const store = new MemoryStore();

  it('Node: dir and lockWaitMs are checked, defaulted and taken off; the rest is passed on unchanged', () => {
    const { dir, lockWaitMs, core } = parseNodeExtras({ ...VALID, store, lockWaitMs: Infinity });
    expect({ dir, lockWaitMs }).toEqual({ dir: './.wks-mail-outbox', lockWaitMs: Infinity });
    expect(core).toEqual({ ...VALID, store });
    expect(core.store).toBe(store);
    expect(parseNodeExtras({ ...VALID, dir: '/var/lib/outbox' }).dir).toBe('/var/lib/outbox');
  });

  it.each([
    [{ dir: '' }, 'dir must be a directory path'],
    [{ dir: 42 }, 'dir must be a directory path'],
    [{ lockWaitMs: -1 }, 'lockWaitMs must be a number ≥ 0, got -1'],
    [{ lockWaitMs: Number.NaN }, 'lockWaitMs must be a number ≥ 0, got NaN'],
  ])('Node %j: %s', (overrides, message) => {
    expect(thrownBy(() => parseNodeExtras({ ...VALID, ...overrides })).message).toBe(message);
  });

  it('browser: name, autoStart and watchOnline are checked, defaulted and taken off; the rest is passed on unchanged', () => {
    const { name, autoStart, watchOnline, core } = parseBrowserExtras({ ...VALID, store });
    expect({ name, autoStart, watchOnline }).toEqual({ name: 'default', autoStart: true, watchOnline: true });
    expect(core).toEqual({ ...VALID, store });
    expect(core.store).toBe(store);
    expect(parseBrowserExtras({ ...VALID, name: 'mail', autoStart: false, watchOnline: false })).toMatchObject({ name: 'mail', autoStart: false, watchOnline: false });
  });

  it.each([
    [{ name: '' }, 'name must be a non-empty string'],
    [{ name: 7 }, 'name must be a non-empty string'],
    [{ autoStart: 'yes' }, 'autoStart must be true or false'],
    [{ watchOnline: 0 }, 'watchOnline must be true or false'],
  ])('browser %j: %s', (overrides, message) => {
    expect(thrownBy(() => parseBrowserExtras({ ...VALID, ...overrides })).message).toBe(message);
  });

  it.each([null, 'options'])('options %j: options must be an object', (options) => {
    expect(thrownBy(() => parseNodeExtras(options as never)).message).toBe('options must be an object');
    expect(thrownBy(() => parseBrowserExtras(options as never)).message).toBe('options must be an object');
  });

  it("an entry's option given to the core is an unknown option there", () => {
    expect(thrownBy(outboxWith({ dir: '/tmp/x' })).message).toBe('unknown option dir');
  });
});
