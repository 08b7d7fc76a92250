import { MAX_RETRY_AFTER_MS } from '../api/retry-after-values.js';
import { boundServerText, MAX_SERVER_ID, MAX_SERVER_TEXT } from '../api/server-text.js';
import { classifyAnswer, type ApiErrorKind } from '../api/classify-answer.js';
import { OutboxError, errorGuard } from './OutboxError.js';

export { classifyAnswer, type ApiErrorKind } from '../api/classify-answer.js';

export interface ApiErrorFacts {
  status: number;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** `METHOD /path` of the request, without host, query or credentials. */
  request: string;
}

/**
 * `POST /v1/…/mails/actions/send answered 503 WKS.0503 (request id …)`: the answer in this
 * library's words; with `errorMsg` given, the server's message goes after the code. What is
 * stored and sent in events leaves `errorMsg` out (it is kept once, in its own field).
 */
export function describeAnswer(facts: Pick<ApiErrorFacts, 'request' | 'status' | 'errorCode' | 'errorMsg' | 'requestId'>): string {
  const code = facts.errorCode ? ` ${facts.errorCode}` : '';
  const msg = facts.errorMsg ? `: ${facts.errorMsg}` : '';
  const id = facts.requestId ? ` (request id ${facts.requestId})` : '';
  return `${facts.request} answered ${facts.status}${code}${msg}${id}`;
}

function bounded(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : boundServerText(String(text), max);
}

/** An HTTP status as kept and stored: an integer from 0 to 999, else 0. */
export function statusOf(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 999 ? value : 0;
}

/** A delay in ms, finite and from 0 to `MAX_RETRY_AFTER_MS`; `undefined` for anything else. */
function clampDelay(ms: number | undefined): number | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.round(ms));
}

/**
 * The service answered with a status other than 2xx. The server's texts are kept bounded
 * (`error_msg` to `MAX_SERVER_TEXT` characters, `error_code` and `X-Request-Id` to
 * `MAX_SERVER_ID`, each marked when cut), whoever builds the error.
 */
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
    const status = statusOf(facts.status);
    const errorCode = bounded(facts.errorCode, MAX_SERVER_ID);
    const errorMsg = bounded(facts.errorMsg, MAX_SERVER_TEXT);
    const requestId = bounded(facts.requestId, MAX_SERVER_ID);
    const request = boundServerText(String(facts.request), MAX_SERVER_TEXT);
    super(describeAnswer({ request, status, errorCode, errorMsg, requestId }));
    this.status = status;
    this.errorCode = errorCode;
    this.errorMsg = errorMsg;
    this.requestId = requestId;
    this.retryAfterMs = clampDelay(facts.retryAfterMs);
    this.request = request;
    this.kind = classifyAnswer(status, errorCode, errorMsg);
    this.retryable = this.kind === 'retryable';
  }
}

export const isApiError = /* @__PURE__ */ errorGuard<ApiError>('ApiError');
