// resendAuthorizationMails({ retry }): opt-in retries of the one-shot call, driven by p-retry.
// Only retryable failures are tried again, never sooner than the server's Retry-After, and the
// caller's signal stops everything at once. Without `retry` the call is one try, as before.
import { describe, expect, it } from 'vitest';
import { isApiError, isAuthError, resendAuthorizationMails, type ApiError, type ResendAuthorizationMailsOptions } from '../../src/index.js';
import { postCheckedMails } from '../../src/api/resend.js';
import { DEFAULT_CALL_RETRY, resolveCallRetry } from '../../src/api/call-retry-options.js';
import { retryingCall, type AbortableWait } from '../../src/api/retrying-call.js';
import { sleep } from '../helpers/sleep.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const mock = useMock();

function send(overrides: Partial<ResendAuthorizationMailsOptions> = {}) {
  return resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: '42' }], ...overrides });
}

/** Quick retries, so that tests about *whether* a call is retried do not wait for the defaults. */
const QUICK = { retries: 2, minTimeout: 10 } as const;

/** A `fetch` that lets the test know each time an answer (any status) has come back. */
function observedFetch(): { fetch: typeof globalThis.fetch; nextAnswer(): Promise<void> } {
  let waiters: Array<() => void> = [];
  return {
    fetch: async (input, init) => {
      const response = await globalThis.fetch(input, init);
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
      return response;
    },
    nextAnswer: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

describe('without retry the call is one try, as before', () => {
  it.each<[string, ResendAuthorizationMailsOptions['retry']]>([
    ['absent', undefined],
    ['false', false],
    ['0', 0],
  ])('retry %s: a 503 rejects after one request', async (_what, retry) => {
    mock.current.inject({ status: 503 });
    const error = await rejectionOf(send({ retry }));
    expect(isApiError(error) && error.status === 503).toBe(true);
    expect(mock.current.requests).toHaveLength(1);
  });
});

describe('retryable failures are tried again', () => {
  it('503 then 200: resolves, the same records sent twice, delivered once', async () => {
    mock.current.inject({ status: 503 });
    await expect(send({ retry: QUICK })).resolves.toMatchObject({ count: 1 });
    expect(mock.current.requests.map((request) => request.status)).toEqual([503, 200]);
    expect(mock.current.requests.map((request) => request.records)).toEqual([[{ id: '42' }], [{ id: '42' }]]);
    expect(mock.current.deliveredIds()).toEqual(['42']);
  });

  it('retry: true uses the defaults (429 then 200 after about a second)', async () => {
    mock.current.inject({ status: 429 });
    await expect(send({ retry: true })).resolves.toMatchObject({ count: 1 });
    expect(mock.current.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('a dropped connection (NetworkError) and a timeout (TimeoutError) are retried', async () => {
    mock.current.inject({ drop: true }, { delayMs: 2_000 });
    await expect(send({ retry: QUICK, timeoutMs: 300 })).resolves.toMatchObject({ count: 1 });
    expect(mock.current.requests).toHaveLength(3);
    expect(mock.current.deliveredIds()).toContain('42');
  });

  it('gives up after `retries` retries with the last error', async () => {
    mock.current.inject({ status: 500, times: 2 }, { status: 503 });
    const error = await rejectionOf(send({ retry: QUICK }));
    expect(isApiError(error) && error.status).toBe(503);
    expect(mock.current.requests).toHaveLength(3);
  });

  it('a number is the count of retries', async () => {
    mock.current.inject({ status: 503, times: 5 });
    const error = await rejectionOf(resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: '42' }], retry: 1 }));
    expect(isApiError(error)).toBe(true);
    expect(mock.current.requests).toHaveLength(2);
  });
});

describe('other failures reject at once', () => {
  it.each([400, 401, 403, 404, 405])('%i: one request, its ApiError', async (status) => {
    mock.current.inject({ status });
    const error = await rejectionOf(send({ retry: QUICK }));
    expect(isApiError(error) && error.status).toBe(status);
    expect((error as ApiError).retryable).toBe(false);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('a token provider that throws: one AuthError, the provider asked once, nothing sent', async () => {
    let calls = 0;
    const token = () => {
      calls += 1;
      throw new Error('IAM is down');
    };
    const error = await rejectionOf(send({ retry: QUICK, auth: { token } }));
    expect(isAuthError(error)).toBe(true);
    expect(calls).toBe(1);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('Retry-After is a floor', () => {
  it('no second request arrives before the server\'s Retry-After has passed (server-side times)', async () => {
    mock.current.inject({ status: 503, retryAfter: 1 });
    await expect(send({ retry: { retries: 1, minTimeout: 0 } })).resolves.toMatchObject({ count: 1 });
    const [first, second] = mock.current.requests;
    // The client waits a full second after it *received* the 503; `at` is when each request
    // arrived, so the gap can only be larger (a little slack for clock granularity).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('p-retry\'s backoff is topped up to the Retry-After, with no jitter, each time', async () => {
    mock.current.inject({ status: 429, retryAfter: 2 }, { status: 503, retryAfter: 1 });
    const waits: number[] = [];
    const observe: AbortableWait = async (ms) => {
      waits.push(ms);
    };
    const retry = resolveCallRetry({ retries: 2, minTimeout: 100, factor: 3 })!;
    const call = () => postCheckedMails(callOptions(mock.current), [{ id: '42' }]);
    await expect(retryingCall(call, retry, undefined, observe)).resolves.toMatchObject({ count: 1 });
    // p-retry waits 100 ms, then 300 ms; the top-ups make each wait exactly the server's delay.
    expect(waits).toEqual([2_000 - 100, 1_000 - 300]);
    expect(mock.current.requests).toHaveLength(3);
  });

  it('a Retry-After shorter than the backoff adds nothing', async () => {
    mock.current.inject({ status: 503, retryAfter: '0.05' });
    const waits: number[] = [];
    const retry = resolveCallRetry({ retries: 1, minTimeout: 100 })!;
    const call = () => postCheckedMails(callOptions(mock.current), [{ id: '42' }]);
    await retryingCall(call, retry, undefined, async (ms) => void waits.push(ms));
    expect(waits).toEqual([]);
  });

  it('a Retry-After longer than maxRetryAfterMs ends the retries: that ApiError, one request', async () => {
    mock.current.inject({ status: 429, retryAfter: 120 });
    const error = await rejectionOf(send({ retry: QUICK }));
    expect(isApiError(error) && error.retryAfterMs).toBe(120_000);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('the last try\'s Retry-After is not waited for: the error comes at once', async () => {
    mock.current.inject({ status: 503, retryAfter: 30 });
    const error = await rejectionOf(send({ retry: { retries: 0 } }));
    expect(isApiError(error) && error.retryAfterMs).toBe(30_000);
  });
});

describe('the caller\'s signal stops the retries', () => {
  it('aborted during a Retry-After wait: rejects with its reason, and no further request is sent', async () => {
    // 30 s: a wait the signal did not end would outlast the test's timeout.
    mock.current.inject({ status: 503, retryAfter: 30 });
    const observed = observedFetch();
    const controller = new AbortController();
    const reason = new Error('the user closed the dialog');
    const answered = observed.nextAnswer();
    const call = rejectionOf(send({ retry: { retries: 3, minTimeout: 0 }, signal: controller.signal, fetch: observed.fetch }));
    await answered;
    await sleep(20); // the 503 is read and the wait has begun
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('aborted during p-retry\'s backoff: the same', async () => {
    mock.current.inject({ status: 500 });
    const observed = observedFetch();
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const answered = observed.nextAnswer();
    const call = rejectionOf(send({ retry: { retries: 3, minTimeout: 30_000 }, signal: controller.signal, fetch: observed.fetch }));
    await answered;
    await sleep(20); // the 503 is read and the wait has begun
    controller.abort(reason);
    expect(await call).toBe(reason);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('aborted during a try, with a reason that is not an Error: that very reason', async () => {
    mock.current.inject({ delayMs: 3_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort('stop'), 100);
    expect(await rejectionOf(send({ retry: QUICK, signal: controller.signal }))).toBe('stop');
    expect(mock.current.requests).toHaveLength(1);
  });

  it('already aborted: its reason, nothing sent', async () => {
    const reason = new Error('too late');
    expect(await rejectionOf(send({ retry: QUICK, signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('a bad retry option is a TypeError naming it, and nothing is sent', () => {
  it.each<[string, unknown, RegExp]>([
    ['a string', 'yes', /^retry must be a boolean, a number of retries or \{/],
    ['null', null, /^retry must be a boolean/],
    ['an array', [3], /^retry must be a boolean/],
    ['a negative number', -1, /^retry must be a whole number ≥ 0$/],
    ['a fraction', 1.5, /^retry must be a whole number ≥ 0$/],
    ['NaN', Number.NaN, /^retry must be a whole number ≥ 0$/],
    ['retries as a string', { retries: '3' }, /^retry\.retries must be a whole number ≥ 0$/],
    ['Infinity retries', { retries: Infinity }, /^retry\.retries must be/],
    ['a negative minTimeout', { minTimeout: -5 }, /^retry\.minTimeout must be a number of milliseconds from 0 to 2147483647$/],
    ['a maxTimeout past the timer limit', { maxTimeout: 2 ** 31 }, /^retry\.maxTimeout must be/],
    ['a maxTimeout below minTimeout', { minTimeout: 5_000, maxTimeout: 1_000 }, /^retry\.maxTimeout must be .*not below retry\.minTimeout$/],
    ['a factor below 1', { factor: 0.5 }, /^retry\.factor must be a finite number ≥ 1$/],
    ['an infinite factor', { factor: Infinity }, /^retry\.factor must be/],
    ['a negative maxRetryAfterMs', { maxRetryAfterMs: -1 }, /^retry\.maxRetryAfterMs must be/],
    ['an unknown key', { retry: 3 }, /^unknown option retry\.retry$/],
  ])('%s', async (_what, retry, message) => {
    const error = await rejectionOf(send({ retry: retry as ResendAuthorizationMailsOptions['retry'] }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('defaults fill what is left out; a large minTimeout raises the default maxTimeout with it', () => {
    expect(resolveCallRetry(true)).toEqual(DEFAULT_CALL_RETRY);
    expect(resolveCallRetry(5)).toEqual({ ...DEFAULT_CALL_RETRY, retries: 5 });
    expect(resolveCallRetry({ minTimeout: 45_000 })).toMatchObject({ minTimeout: 45_000, maxTimeout: 45_000 });
  });
});
