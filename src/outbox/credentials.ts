import { AuthError } from '../errors/AuthError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import type { Auth } from '../api/auth.js';

/**
 * The credentials of one request: a token provider is called here (with `forceRefresh` after a
 * 401), AK/SK and a fixed token are used as they are. A provider that never answers must not
 * hold the outbox (or close()) forever: it gets `timeoutMs`, then counts as a timeout (retried
 * with backoff); one that fails throws an `AuthError` (the outbox pauses, `auth`).
 */
export async function credentialsFor(auth: Auth, forceRefresh: boolean, timeoutMs: number): Promise<Auth> {
  if (!('token' in auth) || typeof auth.token === 'string') return auth;
  const provider = auth.token;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError('the auth token provider', timeoutMs)), timeoutMs);
  });
  try {
    return { token: await Promise.race([Promise.resolve().then(() => provider({ forceRefresh })), deadline]) };
  } catch (error) {
    if (error instanceof TimeoutError) throw error;
    throw new AuthError('the auth token provider failed', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
