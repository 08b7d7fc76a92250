// The AK/SK signer produces exactly the SDK-HMAC-SHA256 signature of API-FACTS.md, checked against
// signatures computed independently with node:crypto, and the mock's verifier accepts it.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNING_ALGORITHM,
  formatSdkDate,
  isApiError,
  listAuthorizationMailRecords,
  resendAuthorizationMails,
  signRequest,
  type ApiError,
  type SignableRequest,
} from '../../src/index.js';
import { signWithNodeCrypto } from '../helpers/sign-with-node-crypto.js';
import { lastRequest, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';
import { PROJECT } from '../helpers/project.js';

const AK = 'HPUAEXAMPLEAK0123456';
const SK = 'sk-example-0123456789abcdefghijABCDEFGHIJ';
const HOST = 'workspace.ap-southeast-1.myhuaweicloud.com';
const DATE = new Date(Date.UTC(2025, 0, 15, 12, 0, 0));

const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** The signature of a canonical request spelled out by hand (the most independent check). */
function signatureOfCanonical(canonical: string, sdkDate: string, sk = SK): string {
  return createHmac('sha256', sk).update(`SDK-HMAC-SHA256\n${sdkDate}\n${sha256(canonical)}`).digest('hex');
}

describe('signRequest against canonical requests spelled out by hand', () => {
  it('POST send: host and X-Project-Id signed, Content-Type not, body digested', async () => {
    const body = '{"records":[{"id":"1"}]}';
    const headers = await signRequest(
      {
        method: 'POST',
        url: `https://${HOST}/v1/${PROJECT}/mails/actions/send`,
        headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT },
        body,
      },
      { ak: AK, sk: SK },
      DATE,
    );
    const canonical = [
      'POST',
      `/v1/${PROJECT}/mails/actions/send/`,
      '',
      `host:${HOST}\nx-project-id:${PROJECT}\nx-sdk-date:20250115T120000Z\n`,
      'host;x-project-id;x-sdk-date',
      sha256(body),
    ].join('\n');
    expect(headers).toEqual({
      'X-Sdk-Date': '20250115T120000Z',
      Authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${signatureOfCanonical(canonical, '20250115T120000Z')}`,
    });
  });

  it('GET list: the query is sorted by name and RFC 3986-encoded, the empty body digested', async () => {
    const url = `https://${HOST}:8443/v1/${PROJECT}/mails?offset=0&mail_send_result=FAIL&app_group_id=g%201&limit=10&account=a%2Bb%40c`;
    const headers = await signRequest({ method: 'get', url }, { ak: AK, sk: SK }, DATE);
    const canonical = [
      'GET',
      `/v1/${PROJECT}/mails/`,
      'account=a%2Bb%40c&app_group_id=g%201&limit=10&mail_send_result=FAIL&offset=0',
      `host:${HOST}:8443\nx-sdk-date:20250115T120000Z\n`,
      'host;x-sdk-date',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n');
    expect(headers['Authorization']).toBe(
      `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-sdk-date, Signature=${signatureOfCanonical(canonical, '20250115T120000Z')}`,
    );
  });
});

interface Vector {
  readonly name: string;
  readonly request: SignableRequest & { readonly url: string };
  readonly securityToken?: string;
  readonly date: Date;
}

const vectors: Vector[] = [
  {
    name: 'a send with X-Project-Id and X-Language',
    request: {
      method: 'POST',
      url: `https://${HOST}/v1/${PROJECT}/mails/actions/send`,
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT, 'X-Language': 'en-us' },
      body: '{"records":[{"id":"1","account":"zhangsan*","mail_send_type":"1"}]}',
    },
    date: DATE,
  },
  {
    name: 'a list with a query, values needing encoding and a repeated name',
    request: { method: 'GET', url: `https://${HOST}/v1/${PROJECT}/mails?limit=100&app_group_id=g*1&b=2&a=z&a=%20y&offset=200&account=%E5%BC%A0%E4%B8%89` },
    date: new Date(Date.UTC(2024, 1, 29, 23, 59, 59)),
  },
  {
    name: 'temporary credentials (X-Security-Token is sent and signed)',
    request: { method: 'POST', url: `https://${HOST}/v1/${PROJECT}/mails/actions/send`, headers: { 'Content-Type': 'application/json' }, body: '{"records":[{"id":"x"}]}' },
    securityToken: 'security-token-EXAMPLE/abc+def==',
    date: new Date(Date.UTC(1999, 11, 31, 0, 0, 1)),
  },
  {
    name: 'a unicode body (digested as UTF-8)',
    request: {
      method: 'POST',
      url: `https://${HOST}/v1/${PROJECT}/mails/actions/send`,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"records":[{"id":"1","account":"张三","app_group_name":"Équipe 😀 ß"}]}',
    },
    date: DATE,
  },
  {
    name: 'a path needing percent-encoding (space, *, non-ASCII, an encoded slash)',
    request: { method: 'POST', url: `https://${HOST}/v1/my%20project*ü/mails/a%2Fb(c)!/`, body: '' },
    date: DATE,
  },
  {
    name: 'header names in any case, values trimmed',
    request: { method: 'GET', url: `https://${HOST}/v1/${PROJECT}/mails?app_group_id=g`, headers: { 'x-LANGUAGE': '  zh-cn  ', 'X-Custom': 'a  b' } },
    date: DATE,
  },
];

describe('signRequest matches an independent node:crypto signer', () => {
  it.each(vectors)('$name', async ({ request, securityToken, date }) => {
    const credentials = securityToken === undefined ? { ak: AK, sk: SK } : { ak: AK, sk: SK, securityToken };
    const actual = await signRequest(request, credentials, date);
    const expected = signWithNodeCrypto({
      method: request.method,
      url: request.url,
      headers: { ...request.headers, ...(securityToken === undefined ? {} : { 'X-Security-Token': securityToken }) },
      ...(request.body === undefined ? {} : { body: request.body }),
      ak: AK,
      sk: SK,
      date,
    });
    expect(actual).toEqual({ ...expected, ...(securityToken === undefined ? {} : { 'X-Security-Token': securityToken }) });
  });

  it('a Uint8Array body signs the same as the same text', async () => {
    const url = `https://${HOST}/v1/${PROJECT}/mails/actions/send`;
    const text = '{"records":[{"id":"ü"}]}';
    const fromText = await signRequest({ method: 'POST', url, body: text }, { ak: AK, sk: SK }, DATE);
    const fromBytes = await signRequest({ method: 'POST', url, body: new TextEncoder().encode(text) }, { ak: AK, sk: SK }, DATE);
    expect(fromBytes).toEqual(fromText);
  });

  it('a URL object signs the same as its string', async () => {
    const url = `https://${HOST}/v1/${PROJECT}/mails?app_group_id=g&limit=5`;
    expect(await signRequest({ method: 'GET', url: new URL(url) }, { ak: AK, sk: SK }, DATE)).toEqual(
      await signRequest({ method: 'GET', url }, { ak: AK, sk: SK }, DATE),
    );
  });

  it('any change to the SK, body, path, query or date changes the signature', async () => {
    const base = { method: 'POST', url: `https://${HOST}/v1/${PROJECT}/mails/actions/send?x=1`, body: '{"records":[{"id":"1"}]}' };
    const signatureOf = async (request: SignableRequest, sk = SK, date = DATE) =>
      (await signRequest(request, { ak: AK, sk }, date))['Authorization']?.split('Signature=')[1];
    const original = await signatureOf(base);
    const variants = await Promise.all([
      signatureOf(base, `${SK}x`),
      signatureOf({ ...base, body: '{"records":[{"id":"2"}]}' }),
      signatureOf({ ...base, url: base.url.replace('send', 'sent') }),
      signatureOf({ ...base, url: base.url.replace('x=1', 'x=2') }),
      signatureOf(base, SK, new Date(DATE.getTime() + 1_000)),
    ]);
    expect(new Set([original, ...variants]).size).toBe(6);
  });

  it('uses the current time when no date is given', async () => {
    const before = Date.now();
    const headers = await signRequest({ method: 'GET', url: `https://${HOST}/v1/${PROJECT}/mails` }, { ak: AK, sk: SK });
    const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(headers['X-Sdk-Date'] ?? '');
    expect(match).not.toBeNull();
    const [, y, mo, d, h, mi, s] = (match ?? []).map(Number) as number[];
    const signedAt = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    expect(signedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signedAt).toBeLessThanOrEqual(Date.now());
  });

  it(`names its algorithm ${SIGNING_ALGORITHM}`, () => {
    expect(SIGNING_ALGORITHM).toBe('SDK-HMAC-SHA256');
  });
});

describe('formatSdkDate is YYYYMMDDTHHMMSSZ in UTC', () => {
  it.each`
    date                                            | text
    ${new Date(Date.UTC(2025, 0, 15, 12, 0, 0))}    | ${'20250115T120000Z'}
    ${new Date(Date.UTC(2025, 0, 15, 12, 0, 0, 999))} | ${'20250115T120000Z'}
    ${new Date(Date.UTC(2024, 1, 29, 23, 59, 59))}  | ${'20240229T235959Z'}
    ${new Date(Date.UTC(1999, 11, 31, 0, 0, 1))}    | ${'19991231T000001Z'}
    ${new Date(0)}                                  | ${'19700101T000000Z'}
  `('$text', ({ date, text }: { date: Date; text: string }) => {
    expect(formatSdkDate(date)).toBe(text);
  });
});

describe('the mock service accepts signed requests', () => {
  const TEMP = { ak: 'TEMPAK0123456789', sk: 'temp-sk-0123456789abcdef', securityToken: 'temp-security-token-0123456789' };
  const mock = useMock({
    credentials: [{ ak: AK, sk: SK }, TEMP],
    records: [
      // Never sent by these tests (a send marks a record SUCCESS in the mock's store).
      { id: 'listed-1', app_group_id: 'g 1', account: 'zhang san+1@example.com', mail_send_result: 'FAIL' },
      { id: 'listed-2', app_group_id: 'g 1', account: 'other', mail_send_result: 'FAIL' },
    ],
  });
  const call = () => ({ endpoint: mock.current.url, projectId: mock.current.projectId });

  it('a signed send is accepted; the request carries X-Sdk-Date and X-Project-Id and no token', async () => {
    const result = await resendAuthorizationMails({ ...call(), auth: { ak: AK, sk: SK }, language: 'en-us', records: [{ id: 'r1', account: '张三' }] });
    const logged = lastRequest(mock.current);
    expect(result.requestId).toBe(logged.id);
    expect(logged.status).toBe(200);
    expect(logged.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(logged.headers['x-project-id']).toBe(mock.current.projectId);
    expect(logged.headers['authorization']).toBe('[redacted]');
    expect(logged.headers['x-auth-token']).toBeUndefined();
    expect(mock.current.deliveredIds()).toEqual(['r1']);
  });

  it('a signed list with filters that need encoding is accepted', async () => {
    const page = await listAuthorizationMailRecords({
      ...call(),
      auth: { ak: AK, sk: SK },
      appGroupId: 'g 1',
      account: 'zhang san+1@example.com',
      mailSendResult: 'FAIL',
      limit: 5,
      offset: 0,
    });
    expect(page.count).toBe(1);
    expect(page.records.map((record) => record.id)).toEqual(['listed-1']);
    expect(lastRequest(mock.current).query).toMatchObject({ app_group_id: 'g 1', account: 'zhang san+1@example.com' });
  });

  it('temporary credentials (with a security token) are accepted', async () => {
    await expect(resendAuthorizationMails({ ...call(), auth: TEMP, records: [{ id: 'r2' }] })).resolves.toMatchObject({ count: 1 });
    expect(lastRequest(mock.current).headers['x-security-token']).toBe('[redacted]');
  });

  it('a wrong SK is answered 401 and classified "auth"', async () => {
    const error = await rejectionOf(resendAuthorizationMails({ ...call(), auth: { ak: AK, sk: `${SK}-wrong` }, records: [{ id: 'r1' }] }));
    expect(isApiError(error)).toBe(true);
    const api = error as ApiError;
    expect(api.status).toBe(401);
    expect(api.kind).toBe('auth');
    expect(api.errorCode).toBe('APIG.0301');
    expect(api.errorMsg).toMatch(/signature does not match/);
    expect(mock.current.deliveredIds()).toEqual([]);
  });

  it('an unknown AK is answered 401', async () => {
    const error = (await rejectionOf(resendAuthorizationMails({ ...call(), auth: { ak: 'UNKNOWNAK000', sk: SK }, records: [{ id: 'r1' }] }))) as ApiError;
    expect(error.status).toBe(401);
    expect(error.errorMsg).toMatch(/access key \(AK\) is unknown/);
  });

  it('temporary credentials without their security token are answered 401', async () => {
    const error = (await rejectionOf(resendAuthorizationMails({ ...call(), auth: { ak: TEMP.ak, sk: TEMP.sk }, records: [{ id: 'r1' }] }))) as ApiError;
    expect(error.status).toBe(401);
    expect(error.kind).toBe('auth');
  });
});
