import { callWorkspace, checkCallOptions, type WorkspaceCallOptions } from './request.js';
import type { AuthorizationMail, AuthorizationMailInput } from './schemas.js';
import { ValidationError } from '../errors/ValidationError.js';
import { validateRecords } from './validate-records.js';

export interface ResendAuthorizationMailsOptions extends WorkspaceCallOptions {
  /** The records to resend: a non-empty array. Validated before anything is sent. */
  readonly records: readonly AuthorizationMailInput[];
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
 * request; there is no per-record result). No retries here: the outbox does that.
 *
 * @throws ValidationError (nothing sent) for bad records; TypeError for bad options;
 * `ApiError`, `NetworkError`, `TimeoutError`, `AuthError` for failed calls.
 * @example
 * await resendAuthorizationMails({ endpoint, projectId, auth: { token }, records: [{ id: '42' }] });
 */
export async function resendAuthorizationMails(options: ResendAuthorizationMailsOptions): Promise<ResendResult> {
  checkCallOptions(options);
  if (!Array.isArray(options.records)) {
    throw new ValidationError([{ field: 'records', message: 'expected an array of records' }]);
  }
  return postCheckedMails(options, validateRecords(options.records));
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
