/**
 * How the outbox should treat a failed answer:
 * - `retryable`: the service or the network is in trouble; send again later (429, 5xx, APIG.0308).
 * - `rejected`: the service refused what was sent (400, a 404 about records, other 4xx); split and dead-letter.
 * - `auth`: 401, credentials wrong or expired.
 * - `forbidden`: 403, the caller lacks the permission.
 * - `config`: 405, 415, 501, a redirect, a 404 saying the project or the API does not exist:
 *   the endpoint, the project or the client is wrong, not the record.
 */
export type ApiErrorKind = 'retryable' | 'rejected' | 'auth' | 'forbidden' | 'config';

/** Gateway code for "the throttling threshold has been reached", whatever the status. */
const THROTTLED = 'APIG.0308';
const RETRYABLE_STATUSES = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
const CONFIG_STATUSES = /* @__PURE__ */ new Set([405, 415, 501]);
/** The API gateway's own codes (`APIG.0101` "The API does not exist…", `APIC.0101` on sibling gateways). */
const GATEWAY_CODE = /^(APIG|APIGW|APIC)\./i;
/** "The API does not exist…", "project not found", "unknown project", also in Chinese. */
const PROJECT_OR_API_MISSING =
  /\b(project|api)\b[^.;:]{0,80}?\b(not found|does not exist|doesn't exist|not exist|not been published|unknown)|\b(unknown|no such|nonexistent|non-existent) (project|api)\b|(项目|API)[^。]{0,20}不存在/i;

/**
 * Whether a 404 is about the call itself (the project or the API does not exist: every record
 * would get it) rather than about records: a gateway code, a message saying so, or no error
 * body at all (a proxy's or a load balancer's 404 page).
 */
export function isMissingProjectOrApi(errorCode: string | undefined, errorMsg: string | undefined): boolean {
  if (errorCode === undefined && errorMsg === undefined) return true;
  if (errorCode !== undefined && GATEWAY_CODE.test(errorCode)) return true;
  return errorMsg !== undefined && PROJECT_OR_API_MISSING.test(errorMsg);
}

/**
 * Maps a non-2xx status (with the body's error code and message) to what the outbox should do
 * about it. A 404 is `rejected` (split, dead-letter) only when it is about records; a 404 that
 * says the project or the API does not exist, carries a gateway code, or has no error body is
 * `config` (pause, keep every record).
 */
export function classifyAnswer(status: number, errorCode?: string, errorMsg?: string): ApiErrorKind {
  if (errorCode === THROTTLED || RETRYABLE_STATUSES.has(status)) return 'retryable';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (CONFIG_STATUSES.has(status) || status < 400) return 'config';
  if (status === 404 && isMissingProjectOrApi(errorCode, errorMsg)) return 'config';
  if (status >= 500) return 'retryable';
  return 'rejected';
}
