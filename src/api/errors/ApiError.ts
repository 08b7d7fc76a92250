import { OutboxError, errorGuard } from './OutboxError.js';

/**
 * How the outbox should treat a failed answer:
 * - `retryable`: the service or the network is in trouble; send again later (429, 5xx, APIG.0308).
 * - `rejected`: the service refused what was sent (400, 404, other 4xx); split and dead-letter.
 * - `auth`: 401, credentials wrong or expired.
 * - `forbidden`: 403, the caller lacks the permission.
 * - `config`: 405, 415, 501, a redirect: the endpoint or the client is wrong, not the record.
 */
export type ApiErrorKind = 'retryable' | 'rejected' | 'auth' | 'forbidden' | 'config';

export interface ApiErrorFacts {
  status: number;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** `METHOD /path` of the request, without host, query or credentials. */
  request: string;
}

/** The service answered with a status other than 2xx. */
export class ApiError extends OutboxError {
  override name = 'ApiError' as const;
  override readonly retryable: boolean;
  readonly kind: ApiErrorKind;
  /** HTTP status (0 for a browser's opaque redirect). */
  readonly status: number;
  /** `error_code` from the body, e.g. `WKS.0001` or `APIG.0308`. */
  readonly errorCode: string | undefined;
  /** `error_msg` from the body. */
  readonly errorMsg: string | undefined;
  /** `X-Request-Id` of the answer: support staff ask for it. */
  readonly requestId: string | undefined;
  /** Delay the service asked for in `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;
  readonly request: string;

  constructor(facts: ApiErrorFacts) {
    const code = facts.errorCode ? ` ${facts.errorCode}` : '';
    const msg = facts.errorMsg ? `: ${facts.errorMsg}` : '';
    const id = facts.requestId ? ` (request id ${facts.requestId})` : '';
    super(`${facts.request} answered ${facts.status}${code}${msg}${id}`);
    this.status = facts.status;
    this.errorCode = facts.errorCode;
    this.errorMsg = facts.errorMsg;
    this.requestId = facts.requestId;
    this.retryAfterMs = facts.retryAfterMs;
    this.request = facts.request;
    this.kind = classifyAnswer(facts.status, facts.errorCode);
    this.retryable = this.kind === 'retryable';
  }
}

/** Gateway code for "the throttling threshold has been reached", whatever the status. */
const THROTTLED = 'APIG.0308';
const RETRYABLE_STATUSES = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
const CONFIG_STATUSES = /* @__PURE__ */ new Set([405, 415, 501]);

/** Maps a non-2xx status (and error code) to what the outbox should do about it. */
export function classifyAnswer(status: number, errorCode?: string): ApiErrorKind {
  if (errorCode === THROTTLED || RETRYABLE_STATUSES.has(status)) return 'retryable';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (CONFIG_STATUSES.has(status) || status < 400) return 'config';
  if (status >= 500) return 'retryable';
  return 'rejected';
}

export const isApiError = /* @__PURE__ */ errorGuard<ApiError>('ApiError');
