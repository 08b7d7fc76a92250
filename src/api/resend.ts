import { callWorkspace, readCallOptions, type WorkspaceCallOptions } from './request.js';
import type { AuthorizationMail, AuthorizationMailInput } from './schemas.js';
import { ValidationError } from '../errors/ValidationError.js';
import { validateRecords } from './validate-records.js';
import { resolveCallRetry, type CallRetry } from './call-retry-options.js';

export interface ResendAuthorizationMailsOptions extends WorkspaceCallOptions {
  /** The records to resend: a non-empty array. Validated before anything is sent. */
  readonly records: readonly AuthorizationMailInput[];
  /**
   * Try again after a retryable failure (429, 5xx, a timeout, no answer), with exponential
   * backoff and never sooner than the server's `Retry-After`: `true` (3 retries from 1 s), a
   * number of retries, or `{ retries?, minTimeout?, maxTimeout?, factor?, maxRetryAfterMs? }`.
   * Other failures reject at once; `signal` stops the retries too. `timeoutMs` is per try.
   * @default false (one try)
   */
  readonly retry?: CallRetry | undefined;
}

/** What a successful resend answered. */
export interface ResendResult {
  /** Number of records the service accepted. */
  readonly count: number;
  /** `X-Request-Id` of the answer. */
  readonly requestId: string | undefined;
}

/**
 * `POST /v1/{project_id}/mails/actions/send`: asks the service to resend the authorization
 * emails of `records`, in one request. Resolves on 200 (the service answers for the whole
 * request; there is no per-record result). One try unless `retry` asks for more (a durable queue
 * that survives restarts is the outbox's job).
 *
 * @throws ValidationError (nothing sent) for bad records; TypeError for bad options;
 * `ApiError`, `NetworkError`, `TimeoutError`, `AuthError` for failed calls (the last try's error).
 * @example
 * await resendAuthorizationMails({ endpoint, projectId, auth: { token }, records: [{ id: '42' }], retry: true });
 */
export async function resendAuthorizationMails(given: ResendAuthorizationMailsOptions): Promise<ResendResult> {
  const { options } = readCallOptions(given);
  const retry = resolveCallRetry(options.retry);
  if (!Array.isArray(options.records)) {
    throw new ValidationError([{ field: 'records', message: 'expected an array of records' }]);
  }
  const records = validateRecords(options.records);
  if (retry === undefined) return postCheckedMails(options, records);
  const { retryingCall } = await import('./retrying-call.js');
  return retryingCall(() => postCheckedMails(options, records), retry, options.signal);
}

/**
 * The request itself, for records already checked (the outbox validated them on enqueue and on
 * load: checking them again on every send would only cost time).
 */
export async function postCheckedMails(options: WorkspaceCallOptions, records: readonly AuthorizationMail[]): Promise<ResendResult> {
  const answer = await callWorkspace(options, {
    method: 'POST',
    path: '/mails/actions/send',
    body: JSON.stringify({ records }),
    ignoreAnswerBody: true,
  });
  return { count: records.length, requestId: answer.requestId };
}
