// A page hands its token to the service worker that sends for it (whose `auth` is
// `'from-pages'`): the page's own `auth.token`, asked with a fixed deadline of its own (10 s).
import type { Auth } from '../api/auth.js';
import { credentialsFor } from '../api/token-deadline.js';
import type { HandToken } from './service-worker-pages.js';

/** How long a page's token provider may take to answer the worker (ms). */
const TOKEN_DEADLINE_MS = 10_000;

/** The page's token for the worker, or undefined when its `auth` holds no token (AK/SK stays in the page). */
export function pageTokenFor(auth: unknown): HandToken | undefined {
  if (auth === null || typeof auth !== 'object' || !('token' in auth)) return undefined;
  return async (forceRefresh) => {
    const fresh = await credentialsFor(auth as Auth, forceRefresh, TOKEN_DEADLINE_MS);
    return 'token' in fresh && typeof fresh.token === 'string' ? fresh.token : undefined;
  };
}
