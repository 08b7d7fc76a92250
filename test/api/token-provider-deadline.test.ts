// A token provider is the caller's code: one function (api/token-deadline.ts) asks it, for the
// client's own calls and for the outbox alike. One that never answers becomes a TimeoutError when
// the deadline passes; one that fails, or answers something unusable, an AuthError that does not
// quote what it threw. Timers are fake: the deadline is reached by advancing them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAuthError, isTimeoutError, resendAuthorizationMails, type Auth } from '../../src/index.js';
import { credentialsFor } from '../../src/api/token-deadline.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const mock = useMock();
const SECRET = 'tok-SECRET-from-IAM-0001';
const never = () => new Promise<string>(() => undefined);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a client call whose token provider never answers', () => {
  it('is a TimeoutError for the request once timeoutMs has passed, and sends nothing', async () => {
    let settled = false;
    const options = callOptions(mock.current, { auth: { token: never }, timeoutMs: 5_000 });
    const call = rejectionOf(resendAuthorizationMails({ ...options, records: [{ id: '1' }] })).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await call;
    expect(isTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^POST \/v1\/[0-9a-f]{32}\/mails\/actions\/send timed out after 5000 ms$/);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('the outbox\'s credentialsFor', () => {
  it('a provider that never answers: TimeoutError for "the auth token provider" after timeoutMs (retryable)', async () => {
    const asked = rejectionOf(credentialsFor({ token: never }, false, 2_000));
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await asked;
    expect(isTimeoutError(error)).toBe(true);
    expect((error as Error).message).toBe('the auth token provider timed out after 2000 ms');
    expect(error.retryable).toBe(true);
  });

  it('a provider that throws: AuthError keeping the cause, its text quoted nowhere', async () => {
    const failure = new Error(`IAM refused ${SECRET}`);
    const error = await rejectionOf(
      credentialsFor(
        {
          token: () => {
            throw failure;
          },
        },
        false,
        2_000,
      ),
    );
    expect(isAuthError(error)).toBe(true);
    expect((error as Error).cause).toBe(failure);
    expect((error as Error).message).toBe('the auth token provider failed');
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an empty string', ''],
    ['a token with a newline', `${SECRET}\r\nX-Injected: 1`],
  ])('a provider answering %s: AuthError that does not quote it (the outbox pauses, auth)', async (_what, answer) => {
    const error = await rejectionOf(credentialsFor({ token: async () => answer as string }, false, 2_000));
    expect(isAuthError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^the auth token is not usable as a header value/);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('passes forceRefresh, and gives the token it got', async () => {
    const calls: boolean[] = [];
    const provider = ({ forceRefresh }: { forceRefresh: boolean }) => {
      calls.push(forceRefresh);
      return SECRET;
    };
    const auth = await credentialsFor({ token: provider }, true, 2_000);
    expect(auth).toEqual({ token: SECRET });
    expect(calls).toEqual([true]);
  });

  it('a fixed token and AK/SK are used as they are, without a timer', async () => {
    const token: Auth = { token: SECRET };
    const keys: Auth = { ak: 'AK', sk: 'SK' };
    expect(await credentialsFor(token, false, 2_000)).toBe(token);
    expect(await credentialsFor(keys, false, 2_000)).toBe(keys);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answer in time leaves no timer behind', async () => {
    await credentialsFor({ token: async () => SECRET }, false, 2_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
