// The one-shot call's opt-in `retry` against hostile servers (Retry-After huge, negative, dates,
// several values; 503 forever), abort at every point, and token providers that hang, throw a
// secret or answer odd values. Real HTTP to the mock on 127.0.0.1; time bounds only as floors.
import { describe, expect, it } from 'vitest';
import { isApiError, isAuthError, isTimeoutError, resendAuthorizationMails } from '../../../src/index.js';
import { MAX_RETRY_AFTER_MS } from '../../../src/api/retry-after.js';
import type { MockWorkspace } from '../../../src/mock-server.js';
import { rejectionOf } from '../../helpers/caught.js';
import { useMocks } from '../../helpers/mock-service.js';
import { useOutboxes } from '../../helpers/outboxes.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';

const startMock = useMocks();
const { startMock: startOutboxMock, open } = useOutboxes();
const call = (mock: MockWorkspace) => ({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, records: [{ id: 'r1' }] });
const fast = { minTimeout: 10, maxTimeout: 50, factor: 2 };

describe('retry counts and Retry-After', () => {
  it('a server answering 503 forever gets exactly 1 + retries requests, and the last error', async () => {
    const mock = await startMock({ faults: [{ status: 503, times: 1000 }] });
    const error = await rejectionOf(resendAuthorizationMails({ ...call(mock), retry: { ...fast, retries: 4 } }));
    expect(isApiError(error) && error.status).toBe(503);
    expect(mock.requests).toHaveLength(5);
  });

  it('the next try is never sooner than Retry-After (a floor over a smaller backoff)', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1 }] });
    await resendAuthorizationMails({ ...call(mock), retry: { ...fast, retries: 1 } });
    const [first, second] = mock.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(mock.deliveredIds()).toEqual(['r1']);
  });

  it.each([
    ['a 400-digit value', '9'.repeat(400)],
    ['a date in 2099', 'Wed, 21 Oct 2099 07:28:00 GMT'],
    ['several values, the largest above the cap', '1, 120'],
  ])('Retry-After %s above maxRetryAfterMs ends the retries at once with that ApiError', async (_, header) => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: header, times: 10 }] });
    const error = await within(rejectionOf(resendAuthorizationMails({ ...call(mock), retry: { ...fast, retries: 5, maxRetryAfterMs: 60_000 } })), 'the call');
    expect(isApiError(error)).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
    expect(mock.requests).toHaveLength(1);
  });

  it.each([
    ['negative', '-5'], ['a date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT'], ['garbage', 'soon'], ['1e309', '1e309'],
  ])('Retry-After %s falls back to the backoff and the call succeeds', async (_, header) => {
    const mock = await startMock({ faults: [{ status: 429, retryAfter: header }] });
    expect(await within(resendAuthorizationMails({ ...call(mock), retry: { ...fast, retries: 1 } }), 'the call')).toMatchObject({ count: 1 });
    expect(mock.requests).toHaveLength(2);
  });

  it('non-retryable answers are never retried', async () => {
    for (const status of [400, 401, 403, 405]) {
      const mock = await startMock({ faults: [{ status, times: 5 }] });
      await rejectionOf(resendAuthorizationMails({ ...call(mock), retry: { ...fast, retries: 3 } }));
      expect(mock.requests).toHaveLength(1);
    }
  });
});

describe('abort at every point', () => {
  it('before the call: no request', async () => {
    const mock = await startMock();
    const controller = new AbortController();
    controller.abort('before');
    expect(await rejectionOf(resendAuthorizationMails({ ...call(mock), signal: controller.signal, retry: true }))).toBe('before');
    expect(mock.requests).toHaveLength(0);
  });

  it('during a try: the reason, and no request after', async () => {
    const mock = await startMock({ faults: [{ delayMs: 5000 }] });
    const controller = new AbortController();
    const calling = rejectionOf(resendAuthorizationMails({ ...call(mock), signal: controller.signal, retry: { ...fast, retries: 3 } }));
    await sleep(100); // the first try is on its way (the mock holds it 5 s)
    controller.abort('during');
    expect(await within(calling, 'the aborted call', 3000)).toBe('during');
    await sleep(100);
    expect(mock.requests.length).toBeLessThanOrEqual(1);
  });

  it('during the Retry-After wait: the reason at once, and no request after', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 30 }] });
    const controller = new AbortController();
    const calling = rejectionOf(resendAuthorizationMails({ ...call(mock), signal: controller.signal, retry: { ...fast, retries: 3 } }));
    await until(() => mock.requests.length === 1, 'the 503');
    await sleep(30);
    controller.abort(new Error('waiting'));
    expect((await within(calling, 'the aborted call', 3000)).message).toBe('waiting');
    await sleep(100);
    expect(mock.requests).toHaveLength(1);
  });

  it('during the backoff wait: no request after', async () => {
    const mock = await startMock({ faults: [{ status: 500, times: 10 }] });
    const controller = new AbortController();
    const calling = rejectionOf(resendAuthorizationMails({ ...call(mock), signal: controller.signal, retry: { retries: 3, minTimeout: 2000 } }));
    await until(() => mock.requests.length === 1, 'the 500');
    controller.abort('backoff');
    expect(await within(calling, 'the aborted call', 3000)).toBe('backoff');
    await sleep(100);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('token providers', () => {
  const SECRET = 'tok-SECRET-9f8e7d6c5b4a';
  const noSecret = (error: Error & Record<string, unknown>) => {
    for (const text of [error.message, String(error.stack), JSON.stringify(error)]) expect(text).not.toContain(SECRET);
  };

  it('one that hangs is a TimeoutError within timeoutMs and sends nothing, also with retry', async () => {
    const mock = await startMock();
    const error = await within(rejectionOf(resendAuthorizationMails({ ...call(mock), auth: { token: () => new Promise<string>(() => undefined) }, timeoutMs: 100, retry: { ...fast, retries: 2 } })), 'the call');
    expect(isTimeoutError(error)).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ['throws an Error quoting the token', () => { throw new Error(`refresh failed for ${SECRET}`); }],
    ['throws the token itself', () => { throw SECRET; }],
    ['rejects with an object holding it', () => Promise.reject({ token: SECRET, toString: () => SECRET })],
    ['answers a number', () => 123 as unknown as string],
    ['answers an object that stringifies to the token', () => ({ toString: () => SECRET }) as unknown as string],
    ['answers the token with a newline', () => `${SECRET}\n`],
    ['answers the token with a non-ASCII character', () => `${SECRET}é`],
    ['answers an empty string', () => ''],
  ])('one that %s: AuthError without the token, nothing sent, not retried', async (_, provider) => {
    const mock = await startMock();
    const error = await rejectionOf(resendAuthorizationMails({ ...call(mock), auth: { token: provider }, retry: { ...fast, retries: 2 } }));
    expect(isAuthError(error)).toBe(true);
    noSecret(error);
    expect(mock.requests).toHaveLength(0);
  });

  it('the outbox pauses (auth) on a provider that throws the token, and no event, entry or error holds it', async () => {
    const mock = await startOutboxMock();
    const outbox = open(mock, { auth: { token: () => { throw new Error(`no ${SECRET}`); } } });
    const seen: unknown[] = [];
    for (const name of ['paused', 'error', 'retrying', 'failed'] as const) outbox.on(name, (event) => seen.push(event));
    await outbox.enqueue({ id: 'p1' });
    expect(await within(outbox.drain(), 'drain')).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(outbox.pausedReason).toBe('auth');
    expect(JSON.stringify([seen, await outbox.pending(), outbox.getSnapshot()])).not.toContain(SECRET);
    expect(mock.requests).toHaveLength(0);
  });
});
