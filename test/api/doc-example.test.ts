// The documentation's own example request, and records copied from the listing API, go through
// unchanged: the client accepts what the service's doc sends, field for field.
import { describe, expect, it } from 'vitest';
import {
  AuthorizationMailSchema,
  listAuthorizationMailRecords,
  resendAuthorizationMails,
  validateRecords,
  type AuthorizationMailInput,
  type Language,
} from '../../src/index.js';
import { callOptions, lastRequest, useMock } from '../helpers/api-calls.js';
import { DOC_EXAMPLE } from '../helpers/doc-example.js';


/** A record as the listing API returns it: output fields, and nulls where the service has no value. */
const LISTED = {
  id: 'c0ffee00-0000-4000-8000-000000000001',
  account: 'lisi',
  account_auth_type: 'USER',
  account_auth_name: 'lisi',
  app_group_id: 'ag-42',
  app_group_name: null,
  mail_send_type: 'ADD_GROUP_AUTHORIZATION',
  mail_send_result: 'FAIL',
  error_msg: 'mail server refused the message',
  send_at: '2025-01-15T12:00:00.000Z',
};
const withoutNulls = (record: object) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
/** The same record in another group, for the second round trip (a 200 send marks a record SUCCESS in the mock). */
const LISTED_TOO = { ...LISTED, id: 'c0ffee00-0000-4000-8000-000000000002', app_group_id: 'ag-43', account: null };

const mock = useMock({ records: [LISTED as never, LISTED_TOO as never, { id: 'other-group', app_group_id: 'ag-7' }] });

describe('the example request of the documentation', () => {
  it('is accepted (mail_send_type "1" and error_msg included) and answered 200', async () => {
    const result = await resendAuthorizationMails({ ...callOptions(mock.current), records: DOC_EXAMPLE.records });
    expect(result).toEqual({ count: 1, requestId: lastRequest(mock.current).id });
    expect(lastRequest(mock.current).status).toBe(200);
  });

  it('reaches the service field for field: the body is exactly the example', async () => {
    await resendAuthorizationMails({ ...callOptions(mock.current), records: DOC_EXAMPLE.records });
    const received = lastRequest(mock.current);
    expect(received.method).toBe('POST');
    expect(received.path).toBe(`/v1/${mock.current.projectId}/mails/actions/send`);
    expect(received.body).toStrictEqual(DOC_EXAMPLE);
    expect(received.records).toStrictEqual(DOC_EXAMPLE.records);
    expect(mock.current.deliveredIds()).toEqual(['1']);
  });

  it('validates to itself', () => {
    expect(validateRecords(DOC_EXAMPLE.records)).toStrictEqual(DOC_EXAMPLE.records);
    expect(AuthorizationMailSchema.parse(DOC_EXAMPLE.records[0])).toStrictEqual(DOC_EXAMPLE.records[0]);
  });

  it.each(['ADD_GROUP_AUTHORIZATION', 'DEL_GROUP_AUTHORIZATION', 'ADD_GROUP_AUTHORIZATION_SMS', 'DEL_GROUP_AUTHORIZATION_SMS', '1', 'SOMETHING_NEW'])(
    'mail_send_type %j is not narrowed to an enum',
    async (mailSendType) => {
      await resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: 'm', mail_send_type: mailSendType }] });
      expect(lastRequest(mock.current).records).toStrictEqual([{ id: 'm', mail_send_type: mailSendType }]);
    },
  );
});

describe('records copied from the listing API can be sent back as they are', () => {
  it('a raw listing record (mail_send_result, send_at, error_msg, nulls) is sent with every string field, nulls left out', async () => {
    const raw = await fetch(`${mock.current.url}/v1/${mock.current.projectId}/mails?app_group_id=ag-42`, {
      headers: { 'X-Auth-Token': mock.current.token },
    });
    const listed = ((await raw.json()) as { records: AuthorizationMailInput[] }).records;
    expect(listed).toStrictEqual([LISTED]);
    mock.current.reset();

    await resendAuthorizationMails({ ...callOptions(mock.current), records: listed });
    expect(lastRequest(mock.current).records).toStrictEqual([withoutNulls(LISTED)]);
  });

  it('a record from listAuthorizationMailRecords round-trips to the send API unchanged', async () => {
    const page = await listAuthorizationMailRecords({ ...callOptions(mock.current), appGroupId: 'ag-43' });
    expect(page.records).toEqual([withoutNulls(LISTED_TOO)]);
    expect(Object.values(page.records[0] ?? {})).not.toContain(null);
    await resendAuthorizationMails({ ...callOptions(mock.current), records: page.records });
    expect(lastRequest(mock.current).records).toStrictEqual(page.records);
  });
});

describe('unknown keys are dropped (documented decision: only the ten model fields are stored and sent)', () => {
  it('extra keys of any type are not sent, and do not make the record invalid', async () => {
    const record = { id: 'u1', account: 'wangwu', foo: 'bar', nested: { a: 1 }, count: 3, flag: true, list: [1] };
    await resendAuthorizationMails({ ...callOptions(mock.current), records: [record] });
    expect(lastRequest(mock.current).records).toStrictEqual([{ id: 'u1', account: 'wangwu' }]);
  });

  it('the caller\'s objects are not changed', async () => {
    const record = { id: 'u2', extra: 'kept here', app_group_name: null };
    const copy = structuredClone(record);
    await resendAuthorizationMails({ ...callOptions(mock.current), records: [record] });
    expect(record).toStrictEqual(copy);
  });
});

describe('headers', () => {
  it.each<Language>(['zh-cn', 'en-us', 'fr-fr'])('X-Language: %s is sent when asked for, with Content-Type: application/json', async (language) => {
    await resendAuthorizationMails({ ...callOptions(mock.current, { language }), records: [{ id: 'h1' }] });
    const { headers } = lastRequest(mock.current);
    expect(headers['x-language']).toBe(language);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-auth-token']).toBe('[redacted]'); // present (the mock never logs its value)
  });

  it('no X-Language header when no language is given', async () => {
    await resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: 'h2' }] });
    const { headers } = lastRequest(mock.current);
    expect(headers).not.toHaveProperty('x-language');
    expect(headers['content-type']).toBe('application/json');
  });

  it('the listing API gets X-Language too, and no Content-Type (it has no body)', async () => {
    await listAuthorizationMailRecords({ ...callOptions(mock.current, { language: 'fr-fr' }), appGroupId: 'ag-42' });
    const { headers, method } = lastRequest(mock.current);
    expect(method).toBe('GET');
    expect(headers['x-language']).toBe('fr-fr');
    expect(headers).not.toHaveProperty('content-type');
  });
});
