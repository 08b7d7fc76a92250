import { errorAnswer, jsonAnswer, type Answer } from './answers.js';
import type { MockRecord } from './types.js';

/**
 * `GET /v1/{project_id}/mails`: the listing API a console uses to find failed emails to resend.
 * Query: `app_group_id` (required), `limit` 1..100 (default 10), `offset` ≥ 0 (default 0), and
 * exact-match filters `account`, `mail_send_type`, `mail_send_result`.
 */

const listMailSendTypes: ReadonlySet<string> = new Set(['ADD_GROUP_AUTHORIZATION', 'DEL_GROUP_AUTHORIZATION']);
const mailSendResults: ReadonlySet<string> = new Set(['SUCCESS', 'FAIL']);

interface ListQuery {
  readonly appGroupId: string;
  readonly limit: number;
  readonly offset: number;
  readonly filters: ReadonlyArray<readonly [field: keyof MockRecord, value: string]>;
}

function invalid(detail: string): Answer {
  return errorAnswer(400, { message: 'Invalid request parameter', detail });
}

function integerParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | Answer {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) return invalid(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function parseQuery(query: URLSearchParams): ListQuery | Answer {
  const appGroupId = query.get('app_group_id');
  if (appGroupId === null || appGroupId === '') return invalid('app_group_id is required');
  const limit = integerParam(query, 'limit', 10, 1, 100);
  if (typeof limit !== 'number') return limit;
  const offset = integerParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  if (typeof offset !== 'number') return offset;
  const filters: Array<readonly [keyof MockRecord, string]> = [['app_group_id', appGroupId]];
  const account = query.get('account');
  if (account !== null) filters.push(['account', account]);
  const mailSendType = query.get('mail_send_type');
  if (mailSendType !== null) {
    if (!listMailSendTypes.has(mailSendType)) {
      return invalid('mail_send_type must be ADD_GROUP_AUTHORIZATION or DEL_GROUP_AUTHORIZATION');
    }
    filters.push(['mail_send_type', mailSendType]);
  }
  const mailSendResult = query.get('mail_send_result');
  if (mailSendResult !== null) {
    if (!mailSendResults.has(mailSendResult)) return invalid('mail_send_result must be SUCCESS or FAIL');
    filters.push(['mail_send_result', mailSendResult]);
  }
  return { appGroupId, limit, offset, filters };
}

/** Answers a listing request: 400 naming a bad parameter, else `{ count, records }` (one page). */
export function listRecords(records: readonly MockRecord[], query: URLSearchParams): Answer {
  const parsed = parseQuery(query);
  if ('kind' in parsed) return parsed;
  const matching = records.filter((record) => parsed.filters.every(([field, value]) => record[field] === value));
  return jsonAnswer(200, {
    count: matching.length,
    records: matching.slice(parsed.offset, parsed.offset + parsed.limit),
  });
}
