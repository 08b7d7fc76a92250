import { describeAnswer, isApiError, statusOf } from './ApiError.js';
import { isNetworkError } from './NetworkError.js';
import { isOutboxError } from './OutboxError.js';
import { boundServerText, MAX_SERVER_ID, MAX_SERVER_TEXT } from '../api/server-text.js';
import type { ErrorInfo } from './ErrorInfo.js';

/** Most characters kept of an error's own message (ours, or a thrown value's) in an `ErrorInfo`. */
export const MAX_ERROR_MESSAGE = 2048;

const text = (value: string | undefined, max: number) => (value === undefined ? undefined : boundServerText(String(value), max));
/** A delay as stored: finite and not negative, else left out. */
const delayOf = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** `String(value)`, or a fixed text when the value refuses to be a string (a throwing `toString`). */
function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `a thrown ${typeof value}`;
  }
}

/**
 * The plain facts of an error, for the store and for events (so they cross tabs and processes).
 * Secret-free: this library's messages never hold credentials, and nothing that could (a cause,
 * a stack, a request) is kept. Bounded: the server's `error_msg` is kept once, in `errorMsg`
 * (at most `MAX_SERVER_TEXT` characters, marked when cut); an `ApiError`'s `message` is this
 * library's own words (request, status, code, request id). `undefined` fields are left out.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  const info: ErrorInfo = isApiError(error)
    ? {
        name: error.name,
        message: describeAnswer({
          request: boundServerText(String(error.request), MAX_SERVER_ID * 2),
          status: statusOf(error.status),
          errorCode: text(error.errorCode, MAX_SERVER_ID),
          requestId: text(error.requestId, MAX_SERVER_ID),
        }),
        retryable: error.retryable,
        kind: error.kind,
        status: statusOf(error.status),
        errorCode: text(error.errorCode, MAX_SERVER_ID),
        errorMsg: text(error.errorMsg, MAX_SERVER_TEXT),
        requestId: text(error.requestId, MAX_SERVER_ID),
        retryAfterMs: delayOf(error.retryAfterMs),
      }
    : isOutboxError(error)
      ? { name: error.name, message: text(error.message, MAX_ERROR_MESSAGE)!, retryable: error.retryable, kind: isNetworkError(error) ? error.code : undefined }
      : error instanceof Error
        ? { name: text(error.name, MAX_SERVER_ID)!, message: text(error.message, MAX_ERROR_MESSAGE)!, retryable: false }
        : { name: typeof error, message: text(describeThrown(error), MAX_ERROR_MESSAGE)!, retryable: false };
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)) as unknown as ErrorInfo;
}

/** Why a record was dead-lettered as `expired`. */
export function expiredErrorInfo(maxAgeMs: number): ErrorInfo {
  return { name: 'ExpiredError', message: `not delivered within maxAgeMs (${maxAgeMs} ms)`, retryable: false };
}
