// The listing API finds the records to resend: one page with filters, or every page in turn.
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  isApiError,
  isProtocolError,
  iterateAuthorizationMailRecords,
  listAuthorizationMailRecords,
  type ApiError,
  type AuthorizationMail,
  type ListAuthorizationMailRecordsOptions,
} from '../../src/index.js';
import { callOptions, lastRequest, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const SEND_TYPES = ['ADD_GROUP_AUTHORIZATION', 'DEL_GROUP_AUTHORIZATION'] as const;
const RESULTS = ['SUCCESS', 'FAIL'] as const;

/** 235 records in one group, with deterministic accounts, types and results. */
const BIG: AuthorizationMail[] = Array.from({ length: 235 }, (_, index) => ({
  id: `big-${String(index).padStart(3, '0')}`,
  account: `user-${index % 4}`,
  account_auth_type: 'USER',
  app_group_id: 'ag-big',
  mail_send_type: SEND_TYPES[index % 2],
  mail_send_result: RESULTS[index % 3 === 0 ? 1 : 0],
  ...(index % 3 === 0 ? { error_msg: 'mailbox full' } : { send_at: '2025-01-15T12:00:00.000Z' }),
}));
const SMALL: AuthorizationMail[] = [
  { id: 's1', app_group_id: 'ag-small', account: 'alice', mail_send_type: 'ADD_GROUP_AUTHORIZATION', mail_send_result: 'FAIL' },
  { id: 's2', app_group_id: 'ag-small', account: 'bob', mail_send_type: 'DEL_GROUP_AUTHORIZATION', mail_send_result: 'FAIL' },
  { id: 's3', app_group_id: 'ag-small', account: 'alice', mail_send_type: 'DEL_GROUP_AUTHORIZATION', mail_send_result: 'SUCCESS' },
];

const mock = useMock({ records: [...BIG, ...SMALL] });

function options(filters: Omit<ListAuthorizationMailRecordsOptions, 'endpoint' | 'projectId' | 'auth'>): ListAuthorizationMailRecordsOptions {
  return { ...callOptions(mock.current), ...filters };
}

async function collect(iterable: AsyncIterable<AuthorizationMail>): Promise<AuthorizationMail[]> {
  const all: AuthorizationMail[] = [];
  for await (const record of iterable) all.push(record);
  return all;
}

const ids = (records: readonly AuthorizationMail[]) => records.map((record) => record.id);

describe('listAuthorizationMailRecords: one page', () => {
  it('without paging options: only app_group_id is sent, and the service\'s default page (10) comes back', async () => {
    const page = await listAuthorizationMailRecords(options({ appGroupId: 'ag-big' }));
    const request = lastRequest(mock.current);
    expect(request.method).toBe('GET');
    expect(request.path).toBe(`/v1/${mock.current.projectId}/mails`);
    expect(request.query).toEqual({ app_group_id: 'ag-big' });
    expect(page.count).toBe(235);
    expect(ids(page.records)).toEqual(ids(BIG.slice(0, 10)));
    expect(page.requestId).toBe(request.id);
  });

  it('limit and offset select the page', async () => {
    const page = await listAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 7, offset: 14 }));
    expect(lastRequest(mock.current).query).toEqual({ app_group_id: 'ag-big', limit: '7', offset: '14' });
    expect(page.count).toBe(235);
    expect(page.records).toEqual(BIG.slice(14, 21));
  });

  it('the last, partial page and a page past the end', async () => {
    expect(ids((await listAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 100, offset: 200 }))).records)).toEqual(ids(BIG.slice(200)));
    const past = await listAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 100, offset: 1000 }));
    expect(past).toMatchObject({ count: 235, records: [] });
  });

  it('mail_send_result, mail_send_type and account filters are sent and applied', async () => {
    const page = await listAuthorizationMailRecords(
      options({ appGroupId: 'ag-small', mailSendResult: 'FAIL', mailSendType: 'DEL_GROUP_AUTHORIZATION', account: 'bob' }),
    );
    expect(lastRequest(mock.current).query).toEqual({
      app_group_id: 'ag-small',
      mail_send_result: 'FAIL',
      mail_send_type: 'DEL_GROUP_AUTHORIZATION',
      account: 'bob',
    });
    expect(page).toMatchObject({ count: 1, records: [SMALL[1]] });
  });

  it.each`
    filters                                                          | expected
    ${{ mailSendResult: 'FAIL' }}                                    | ${['s1', 's2']}
    ${{ mailSendResult: 'SUCCESS' }}                                 | ${['s3']}
    ${{ account: 'alice' }}                                          | ${['s1', 's3']}
    ${{ mailSendType: 'ADD_GROUP_AUTHORIZATION' }}                   | ${['s1']}
    ${{ account: 'alice', mailSendResult: 'FAIL' }}                  | ${['s1']}
    ${{ account: 'nobody' }}                                         | ${[]}
  `('filter $filters finds $expected', async ({ filters, expected }: { filters: Partial<ListAuthorizationMailRecordsOptions>; expected: string[] }) => {
    const page = await listAuthorizationMailRecords(options({ appGroupId: 'ag-small', ...filters }));
    expect(ids(page.records)).toEqual(expected);
    expect(page.count).toBe(expected.length);
  });

  it('an unknown group is an empty page', async () => {
    expect(await listAuthorizationMailRecords(options({ appGroupId: 'no-such-group' }))).toMatchObject({ count: 0, records: [] });
  });
});

describe('iterateAuthorizationMailRecords: every page', () => {
  it('235 records with limit 100: three requests (offsets 0, 100, 200), every record once, in order', async () => {
    const all = await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 100 })));
    expect(ids(all)).toEqual(ids(BIG));
    expect(mock.current.requests.map((request) => request.query)).toEqual([
      { app_group_id: 'ag-big', limit: '100', offset: '0' },
      { app_group_id: 'ag-big', limit: '100', offset: '100' },
      { app_group_id: 'ag-big', limit: '100', offset: '200' },
    ]);
  });

  it('the page size is 100 by default', async () => {
    const all = await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big' })));
    expect(all).toHaveLength(235);
    expect(mock.current.requests).toHaveLength(3);
  });

  it('a smaller page size takes more requests and gives the same records', async () => {
    const all = await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 40 })));
    expect(ids(all)).toEqual(ids(BIG));
    expect(mock.current.requests).toHaveLength(6);
  });

  it('filters apply to every page', async () => {
    const failed = await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big', mailSendResult: 'FAIL', limit: 25 })));
    const expected = BIG.filter((record) => record.mail_send_result === 'FAIL');
    expect(ids(failed)).toEqual(ids(expected));
    expect(mock.current.requests).toHaveLength(Math.ceil(expected.length / 25));
    for (const request of mock.current.requests) expect(request.query['mail_send_result']).toBe('FAIL');
  });

  it('a starting offset is honoured', async () => {
    const rest = await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big', offset: 230, limit: 100 })));
    expect(ids(rest)).toEqual(ids(BIG.slice(230)));
    expect(mock.current.requests).toHaveLength(1);
  });

  it('no matching record: one request, nothing yielded', async () => {
    expect(await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'no-such-group' })))).toEqual([]);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('an empty page ends the walk even if count promises more', async () => {
    mock.current.inject({ on: 'list', status: 200, body: '{"count": 500, "records": []}', contentType: 'application/json' });
    expect(await collect(iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big' })))).toEqual([]);
    expect(mock.current.requests).toHaveLength(1);
  });

  it('a failing page stops the walk with its ApiError, after the earlier pages were yielded', async () => {
    mock.current.inject({ on: 'list' }, { on: 'list', status: 503 });
    const seen: AuthorizationMail[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const record of iterateAuthorizationMailRecords(options({ appGroupId: 'ag-big', limit: 100 }))) seen.push(record);
      })(),
    );
    expect(isApiError(error)).toBe(true);
    expect((error as ApiError).status).toBe(503);
    expect(ids(seen)).toEqual(ids(BIG.slice(0, 100)));
    expect(mock.current.requests).toHaveLength(2);
  });
});

describe('bad filters are refused with a TypeError before any request', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no appGroupId', { appGroupId: undefined }, /^appGroupId\b/],
    ['an empty appGroupId', { appGroupId: '' }, /^appGroupId\b/],
    ['a blank appGroupId', { appGroupId: '   ' }, /^appGroupId\b/],
    ['a numeric appGroupId', { appGroupId: 42 }, /^appGroupId\b/],
    ['limit 0', { limit: 0 }, /^limit\b/],
    ['limit 101', { limit: 101 }, /^limit\b/],
    ['a fractional limit', { limit: 2.5 }, /^limit\b/],
    ['a string limit', { limit: '10' }, /^limit\b/],
    ['a NaN limit', { limit: Number.NaN }, /^limit\b/],
    ['a negative offset', { offset: -1 }, /^offset\b/],
    ['a fractional offset', { offset: 0.5 }, /^offset\b/],
    ['an infinite offset', { offset: Number.POSITIVE_INFINITY }, /^offset\b/],
    ['mailSendResult "FAILED"', { mailSendResult: 'FAILED' }, /^mailSendResult\b/],
    ['mailSendResult in lower case', { mailSendResult: 'fail' }, /^mailSendResult\b/],
    ['an SMS mailSendType (not a listing filter)', { mailSendType: 'ADD_GROUP_AUTHORIZATION_SMS' }, /^mailSendType\b/],
    ['mailSendType "1"', { mailSendType: '1' }, /^mailSendType\b/],
    ['a numeric account', { account: 42 }, /^account\b/],
  ])('%s', async (_what, filters, message) => {
    const bad = { ...callOptions(mock.current), appGroupId: 'ag-small', ...filters } as ListAuthorizationMailRecordsOptions;

    const single = await rejectionOf(listAuthorizationMailRecords(bad));
    expect(single).toBeInstanceOf(TypeError);
    expect((single as Error).message).toMatch(message);

    const walked = await rejectionOf(collect(iterateAuthorizationMailRecords(bad)));
    expect(walked).toBeInstanceOf(TypeError);
    expect((walked as Error).message).toMatch(message);

    expect(mock.current.requests).toHaveLength(0);
  });

  it('bad call options are refused the same way', async () => {
    const error = await rejectionOf(listAuthorizationMailRecords(options({ appGroupId: 'ag-small', projectId: '../x' } as never)));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^projectId\b/);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('a 200 answer the client cannot read is a ProtocolError', () => {
  async function protocolErrorFor(body: string, contentType = 'application/json'): Promise<ProtocolError> {
    mock.current.inject({ on: 'list', status: 200, body, contentType });
    const error = await rejectionOf(listAuthorizationMailRecords(options({ appGroupId: 'ag-small' })));
    expect(isProtocolError(error), `expected a ProtocolError, got ${String(error)}`).toBe(true);
    expect(error).toBeInstanceOf(ProtocolError);
    const protocol = error as ProtocolError;
    expect(protocol.retryable).toBe(false);
    expect(protocol.requestId).toBe(lastRequest(mock.current).id);
    expect(protocol.message).toContain(`request id ${lastRequest(mock.current).id}`);
    return protocol;
  }

  it('a non-JSON body (an HTML page)', async () => {
    const error = await protocolErrorFor('<html><body>Welcome to nginx</body></html>', 'text/html');
    expect(error.message).toMatch(/not JSON/);
  });

  it('an empty body', async () => {
    expect((await protocolErrorFor('', 'text/plain')).message).toMatch(/not JSON/);
  });

  it.each<[string, string, string]>([
    ['records missing', '{"count": 1}', 'records'],
    ['count missing', '{"records": []}', 'count'],
    ['a negative count', '{"count": -1, "records": []}', 'count'],
    ['records not an array', '{"count": 1, "records": "s1"}', 'records'],
    ['a record without id', '{"count": 1, "records": [{"account": "alice"}]}', 'records.0.id'],
    ['a record with a numeric field', '{"count": 2, "records": [{"id": "s1"}, {"id": "s2", "account": 7}]}', 'records.1.account'],
    ['JSON null', 'null', ''],
  ])('JSON of the wrong shape (%s) names where', async (_what, body, where) => {
    const error = await protocolErrorFor(body);
    expect(error.message).toContain(`(at "${where}")`);
  });

  it('unknown fields and nulls in listed records are dropped, not refused', async () => {
    mock.current.inject({
      on: 'list',
      status: 200,
      body: JSON.stringify({ count: 1, records: [{ id: 's9', account: null, unknown_field: { x: 1 }, mail_send_result: 'FAIL' }], extra: true }),
      contentType: 'application/json',
    });
    const page = await listAuthorizationMailRecords(options({ appGroupId: 'ag-small' }));
    expect(page.records).toEqual([{ id: 's9', mail_send_result: 'FAIL' }]);
    expect(page.records[0]).not.toHaveProperty('unknown_field');
  });
});
