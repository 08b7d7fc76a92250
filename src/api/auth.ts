import { assertHeaderValue } from './header-value.js';
import { findSecrets, redactSpans } from './secret-search.js';
import { signRequest, type AkSkCredentials, type SignableRequest } from './signer.js';
import { askTokenProvider } from './token-deadline.js';

/**
 * Returns an IAM user token (`X-Subject-Token` of IAM's token API). Called before each request;
 * `forceRefresh: true` after a 401, when a cached token must not be reused.
 */
export type TokenProvider = (options: { forceRefresh: boolean }) => string | Promise<string>;

/** A token (or a function returning one), or AK/SK credentials. Never persisted. */
export type Auth = { readonly token: string | TokenProvider } | AkSkCredentials;

/**
 * Checks the shape of `auth` without looking at the secrets' values beyond "present".
 * @throws TypeError naming the option.
 */
export function assertAuth(auth: unknown, option = 'auth'): Auth {
  if (auth === null || typeof auth !== 'object') {
    throw new TypeError(`${option} must be { token } or { ak, sk, securityToken? }`);
  }
  const { token, ak, sk, securityToken } = auth as Record<string, unknown>;
  const hasToken = token !== undefined;
  const hasKeys = ak !== undefined || sk !== undefined;
  if (hasToken === hasKeys) throw new TypeError(`${option} must have either "token" or "ak" and "sk", not ${hasToken ? 'both' : 'neither'}`);
  if (hasToken && !(typeof token === 'function' || (typeof token === 'string' && token !== ''))) {
    throw new TypeError(`${option}.token must be a non-empty string or a function returning one`);
  }
  if (hasKeys) {
    if (typeof ak !== 'string' || ak === '') throw new TypeError(`${option}.ak must be a non-empty string`);
    if (typeof sk !== 'string' || sk === '') throw new TypeError(`${option}.sk must be a non-empty string`);
    if (securityToken !== undefined && (typeof securityToken !== 'string' || securityToken === '')) {
      throw new TypeError(`${option}.securityToken must be a non-empty string when given`);
    }
  }
  return auth as Auth;
}

/** Headers proving who is calling, and the secret strings they hold (to keep out of errors). */
export interface AuthHeaders {
  headers: Record<string, string>;
  secrets: string[];
}

/**
 * Produces the authentication headers for one request: `X-Auth-Token`, or an AK/SK signature.
 * A token provider is given until `signal` aborts (see `askTokenProvider`).
 */
export async function authHeaders(auth: Auth, request: SignableRequest, forceRefresh: boolean, signal: AbortSignal): Promise<AuthHeaders> {
  if ('token' in auth) {
    const token =
      typeof auth.token === 'string' ? assertHeaderValue(auth.token, 'the auth token') : await askTokenProvider(auth.token, forceRefresh, signal);
    return { headers: { 'X-Auth-Token': token }, secrets: [token] };
  }
  assertHeaderValue(auth.ak, 'auth.ak');
  if (auth.securityToken !== undefined) assertHeaderValue(auth.securityToken, 'auth.securityToken');
  const headers = await signRequest(request, auth);
  return { headers, secrets: [auth.ak, auth.sk, auth.securityToken ?? ''].filter(Boolean) };
}

/**
 * Replaces every occurrence of a secret in `text` (e.g. an error message the server echoed) by
 * `[redacted]`: verbatim, and in the forms a server may echo it in (URL-encoded, JSON-escaped,
 * upper or lower case, base64, base64url, hex; see `secret-search.ts`), in time linear in the text
 * whatever the secrets' length. Secrets shorter than 4 characters are left alone.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return redactSpans(text, findSecrets(text, secrets), '[redacted]');
}
