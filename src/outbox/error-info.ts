import { isApiError } from '../api/errors/ApiError.js';
import { isOutboxError } from '../api/errors/OutboxError.js';
import type { ErrorInfo } from '../store/entry.js';

/**
 * The plain facts of an error, for the store and for events (so they cross tabs and processes).
 * Secret-free: this library's messages never hold credentials, and nothing that could (a cause,
 * a stack, a request) is kept. `undefined` fields are left out.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  const info: ErrorInfo = isApiError(error)
    ? {
        name: error.name,
        message: error.message,
        retryable: error.retryable,
        kind: error.kind,
        status: error.status,
        errorCode: error.errorCode,
        errorMsg: error.errorMsg,
        requestId: error.requestId,
        retryAfterMs: error.retryAfterMs,
      }
    : isOutboxError(error)
      ? { name: error.name, message: error.message, retryable: error.retryable }
      : error instanceof Error
        ? { name: error.name, message: error.message, retryable: false }
        : { name: typeof error, message: String(error), retryable: false };
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined)) as unknown as ErrorInfo;
}

/** Why a record was dead-lettered as `expired`. */
export function expiredErrorInfo(maxAgeMs: number): ErrorInfo {
  return { name: 'ExpiredError', message: `not delivered within maxAgeMs (${maxAgeMs} ms)`, retryable: false };
}
