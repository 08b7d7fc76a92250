import { AuthError } from '../errors/AuthError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { Auth, TokenProvider } from './auth.js';
import { assertHeaderValue } from './header-value.js';

/**
 * The one place a token provider is called: with `forceRefresh`, and for no longer than until
 * `signal` aborts. A provider that throws or rejects becomes an `AuthError` that keeps the failure
 * as `cause` but never quotes it (it may hold a secret); so does an answer that is not a usable
 * header value. When `signal` aborts first, this rejects at once with the signal's reason and
 * whatever the provider answers later is ignored: a provider that never answers cannot hold a
 * request, the outbox or `close()` past the deadline.
 */
export function askTokenProvider(provider: TokenProvider, forceRefresh: boolean, signal: AbortSignal): Promise<string> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const answer = (async () => provider({ forceRefresh }))().then(
    (token) => assertHeaderValue(token, 'the auth token'),
    (error: unknown) => {
      throw new AuthError('the auth token provider failed', { cause: error });
    },
  );
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * `auth` with its token provider asked now, for a request made afterwards (the outbox asks before
 * it counts an attempt, so a failing provider is never a send). The provider gets `timeoutMs`,
 * then this throws a `TimeoutError` for "the auth token provider" (retryable); a provider that
 * fails throws an `AuthError` (the outbox pauses, `auth`). A fixed token and AK/SK come back as
 * they are.
 */
export async function credentialsFor(auth: Auth, forceRefresh: boolean, timeoutMs: number): Promise<Auth> {
  if (!('token' in auth) || typeof auth.token === 'string') return auth;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new TimeoutError('the auth token provider', timeoutMs)), timeoutMs);
  try {
    return { token: await askTokenProvider(auth.token, forceRefresh, deadline.signal) };
  } finally {
    clearTimeout(timer);
  }
}
