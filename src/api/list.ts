import { ProtocolError } from '../errors/ProtocolError.js';
import { callWorkspace, checkCallOptions, type WorkspaceCallOptions } from './request.js';
import {
  ListAuthorizationMailsResponseSchema,
  ListMailSendTypeSchema,
  MailSendResultSchema,
  type AuthorizationMail,
  type ListMailSendType,
  type MailSendResult,
} from './schemas.js';

export interface ListAuthorizationMailRecordsOptions extends WorkspaceCallOptions {
  /** Application group whose records to list (required by the service). */
  readonly appGroupId: string;
  /** Only records whose last send had this result, e.g. `'FAIL'` to find what to resend. */
  readonly mailSendResult?: MailSendResult | undefined;
  readonly mailSendType?: ListMailSendType | undefined;
  /** Only records of this user (group). */
  readonly account?: string | undefined;
  /** Page size, 1..100. @default 10 (the service's default) */
  readonly limit?: number | undefined;
  /** Records to skip. @default 0 */
  readonly offset?: number | undefined;
}

export interface AuthorizationMailPage {
  /** Number of records matching the filter, over all pages. */
  readonly count: number;
  readonly records: AuthorizationMail[];
  readonly requestId: string | undefined;
}

/**
 * `GET /v1/{project_id}/mails`: one page of an application group's authorization email records.
 * @example
 * const { records } = await listAuthorizationMailRecords({ endpoint, projectId, auth, appGroupId, mailSendResult: 'FAIL' });
 */
export async function listAuthorizationMailRecords(options: ListAuthorizationMailRecordsOptions): Promise<AuthorizationMailPage> {
  checkCallOptions(options);
  checkListFilters(options);
  const answer = await callWorkspace(options, {
    method: 'GET',
    path: '/mails',
    query: {
      app_group_id: options.appGroupId,
      limit: options.limit,
      offset: options.offset,
      account: options.account,
      mail_send_type: options.mailSendType,
      mail_send_result: options.mailSendResult,
    },
  });
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    throw new ProtocolError(answer.request, 'the answer is not JSON', answer.requestId);
  }
  const parsed = ListAuthorizationMailsResponseSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new ProtocolError(answer.request, `the answer does not match the listing format (at "${where}")`, answer.requestId);
  }
  return { count: parsed.data.count, records: parsed.data.records, requestId: answer.requestId };
}

/**
 * Every record matching the filter, page after page (`limit` is the page size, default 100).
 * @example
 * for await (const record of iterateAuthorizationMailRecords({ ...call, appGroupId, mailSendResult: 'FAIL' })) failed.push(record);
 */
export async function* iterateAuthorizationMailRecords(
  options: ListAuthorizationMailRecordsOptions,
): AsyncGenerator<AuthorizationMail, void, undefined> {
  const limit = options.limit ?? 100;
  let offset = options.offset ?? 0;
  for (;;) {
    const page = await listAuthorizationMailRecords({ ...options, limit, offset });
    yield* page.records;
    offset += page.records.length;
    // An empty page ends the walk even if `count` says otherwise (records deleted meanwhile).
    if (page.records.length === 0 || offset >= page.count) return;
  }
}

function checkListFilters(options: ListAuthorizationMailRecordsOptions): void {
  if (typeof options.appGroupId !== 'string' || options.appGroupId.trim() === '') {
    throw new TypeError('appGroupId must be a non-empty string');
  }
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= 100)) {
    throw new TypeError('limit must be an integer from 1 to 100');
  }
  if (options.offset !== undefined && !(Number.isInteger(options.offset) && options.offset >= 0)) {
    throw new TypeError('offset must be an integer of 0 or more');
  }
  if (options.mailSendResult !== undefined && !MailSendResultSchema.safeParse(options.mailSendResult).success) {
    throw new TypeError(`mailSendResult must be one of ${MailSendResultSchema.options.join(', ')}`);
  }
  if (options.mailSendType !== undefined && !ListMailSendTypeSchema.safeParse(options.mailSendType).success) {
    throw new TypeError(`mailSendType must be one of ${ListMailSendTypeSchema.options.join(', ')}`);
  }
  if (options.account !== undefined && typeof options.account !== 'string') throw new TypeError('account must be a string');
}
