/**
 * The outbox resolves a request's credentials before it counts an attempt: a token provider is
 * asked (with `forceRefresh` after a 401) under the same deadline rules as the client's own
 * calls, in `api/token-deadline.ts`; AK/SK and a fixed token are used as they are.
 */
export { credentialsFor } from '../api/token-deadline.js';
