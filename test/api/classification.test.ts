// Every answer the service can give is classified so that the outbox knows what to do with it:
// retry later, dead-letter, pause for credentials/permissions, or pause for configuration.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  isApiError,
  listAuthorizationMailRecords,
  resendAuthorizationMails,
  type ApiErrorKind,
  type WorkspaceCallOptions,
} from '../../src/index.js';
import { callOptions, lastRequest, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const FORBIDDEN_TOKEN = 'forbidden-token-0123456789';
const mock = useMock({ forbiddenTokens: [FORBIDDEN_TOKEN], poisonIds: ['poison-1'], unknownIds: ['gone-1'] });

const records = [{ id: 'rec-1', account: 'zhangsan', mail_send_type: 'ADD_GROUP_AUTHORIZATION' }];

function send(overrides: Partial<WorkspaceCallOptions> = {}, sent: Array<{ id: string }> = records) {
  return resendAuthorizationMails({ ...callOptions(mock.current, overrides), records: sent });
}

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await rejectionOf(promise);
  expect(isApiError(error), `expected an ApiError, got ${String(error)}`).toBe(true);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** The facts every classified answer must carry; `requestId` is the one the mock answered with. */
function expectClassified(error: ApiError, expected: { status: number; kind: ApiErrorKind; errorCode?: string; errorMsg?: string | RegExp }) {
  const logged = lastRequest(mock.current);
  expect(error.status).toBe(expected.status);
  expect(error.kind).toBe(expected.kind);
  expect(error.retryable).toBe(expected.kind === 'retryable');
  expect(error.requestId).toBe(logged.id);
  expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
  expect(error.message).toContain(`answered ${expected.status}`);
  expect(error.message).toContain(`(request id ${logged.id})`);
  if (expected.errorCode !== undefined) {
    expect(error.errorCode).toBe(expected.errorCode);
    expect(error.message).toContain(expected.errorCode);
  }
  if (typeof expected.errorMsg === 'string') expect(error.errorMsg).toBe(expected.errorMsg);
  else if (expected.errorMsg instanceof RegExp) expect(error.errorMsg).toMatch(expected.errorMsg);
}

describe('200: success', () => {
  it('a send answered 200 resolves with the record count and the request id', async () => {
    const result = await send();
    expect(result).toEqual({ count: 1, requestId: lastRequest(mock.current).id });
    expect(mock.current.deliveredIds()).toEqual(['rec-1']);
  });
});

describe('statuses produced by real causes at the mock', () => {
  it('400 for a record the service refuses (poison id) is "rejected", not retryable, with the service\'s code and message', async () => {
    const error = await apiErrorOf(send({}, [{ id: 'poison-1' }]));
    expectClassified(error, {
      status: 400,
      kind: 'rejected',
      errorCode: 'WKS.00131104',
      errorMsg: 'invalid authorization email record: poison-1',
    });
    expect(error.request).toBe(`POST /v1/${mock.current.projectId}/mails/actions/send`);
  });

  it('400 WKS.0001 for a malformed body is "rejected"', async () => {
    // The client never sends a malformed body; an instrumented fetch replaces it on the wire.
    const error = await apiErrorOf(
      send({ fetch: (input, init) => globalThis.fetch(input, { ...init, body: '{"records": []}' }) }),
    );
    expectClassified(error, { status: 400, kind: 'rejected', errorCode: 'WKS.0001', errorMsg: /records must not be empty/ });
  });

  it('401 for a wrong token is "auth"', async () => {
    const error = await apiErrorOf(send({ auth: { token: 'not-the-right-token-123' } }));
    expectClassified(error, { status: 401, kind: 'auth', errorCode: 'APIG.1002' });
  });

  it('401 "auth" is what forceRefresh is for: the provider is told to hand out a fresh token', async () => {
    const asked: boolean[] = [];
    const provider = ({ forceRefresh }: { forceRefresh: boolean }) => {
      asked.push(forceRefresh);
      return forceRefresh ? mock.current.token : 'expired-cached-token-0001';
    };
    const error = await apiErrorOf(send({ auth: { token: provider } }));
    expect(error.kind).toBe('auth');
    await expect(send({ auth: { token: provider }, forceRefresh: true })).resolves.toMatchObject({ count: 1 });
    expect(asked).toEqual([false, true]);
  });

  it('401 also when the listing API refuses the token', async () => {
    const error = await apiErrorOf(listAuthorizationMailRecords({ ...callOptions(mock.current, { auth: { token: 'wrong-token-456' } }), appGroupId: 'g' }));
    expectClassified(error, { status: 401, kind: 'auth', errorCode: 'APIG.1002' });
    expect(error.request).toBe(`GET /v1/${mock.current.projectId}/mails`);
  });

  it('403 for a token that lacks the permission is "forbidden"', async () => {
    const error = await apiErrorOf(send({ auth: { token: FORBIDDEN_TOKEN } }));
    expectClassified(error, { status: 403, kind: 'forbidden', errorCode: 'WKS.0403', errorMsg: 'Permissions required' });
  });

  it('404 for an unknown project is "config" (the gateway refuses the whole call, not a record)', async () => {
    const error = await apiErrorOf(send({ projectId: '0123456789abcdef0123456789abcdef' }));
    expectClassified(error, { status: 404, kind: 'config', errorCode: 'APIG.0101', errorMsg: /project not found/ });
  });

  it('404 for an unknown record id is "rejected"', async () => {
    const error = await apiErrorOf(send({}, [{ id: 'gone-1' }]));
    expectClassified(error, { status: 404, kind: 'rejected', errorCode: 'WKS.0404', errorMsg: /gone-1/ });
  });

  it('405 for a wrong method (sent through an instrumented fetch) is "config"', async () => {
    const error = await apiErrorOf(send({ fetch: (input, init) => globalThis.fetch(input, { ...init, method: 'PUT' }) }));
    expectClassified(error, { status: 405, kind: 'config', errorCode: 'WKS.0405' });
    expect(lastRequest(mock.current).method).toBe('PUT');
  });

  it('415 for a wrong content type (sent through an instrumented fetch) is "config"', async () => {
    const error = await apiErrorOf(
      send({
        fetch: (input, init) =>
          globalThis.fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'Content-Type': 'text/plain' } }),
      }),
    );
    expectClassified(error, { status: 415, kind: 'config', errorCode: 'WKS.0415' });
    expect(lastRequest(mock.current).headers['content-type']).toBe('text/plain');
  });

  it('a raw fetch with the wrong method or content type gets 405 and 415 from the mock, as the client classifies them', async () => {
    const url = `${mock.current.url}/v1/${mock.current.projectId}/mails/actions/send`;
    const headers = { 'X-Auth-Token': mock.current.token };
    const wrongMethod = await fetch(url, { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{"records":[{"id":"1"}]}' });
    const wrongType = await fetch(url, { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: '{"records":[{"id":"1"}]}' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongType.status).toBe(415);
    expect(await wrongMethod.json()).toMatchObject({ error_code: 'WKS.0405' });
    expect(await wrongType.json()).toMatchObject({ error_code: 'WKS.0415' });
  });
});

describe('statuses produced by injected faults', () => {
  it.each`
    status | kind           | errorCode
    ${429} | ${'retryable'} | ${'APIG.0308'}
    ${500} | ${'retryable'} | ${'WKS.0500'}
    ${502} | ${'retryable'} | ${'APIG.0202'}
    ${503} | ${'retryable'} | ${'WKS.0503'}
    ${504} | ${'retryable'} | ${'APIG.0203'}
    ${408} | ${'retryable'} | ${undefined}
    ${507} | ${'retryable'} | ${undefined}
    ${413} | ${'rejected'}  | ${'APIG.0201'}
    ${422} | ${'rejected'}  | ${undefined}
    ${501} | ${'config'}    | ${undefined}
  `('$status is "$kind"', async ({ status, kind, errorCode }: { status: number; kind: ApiErrorKind; errorCode: string | undefined }) => {
    mock.current.inject({ status });
    const error = await apiErrorOf(send());
    expectClassified(error, { status, kind, ...(errorCode === undefined ? {} : { errorCode }) });
    expect(mock.current.deliveredIds()).toEqual([]);
  });

  it.each([400, 403, 404, 500])('APIG.0308 (throttled) is retryable whatever the status, here %i', async (status) => {
    mock.current.inject({ status, errorCode: 'APIG.0308', errorMsg: 'The throttling threshold has been reached' });
    const error = await apiErrorOf(send());
    expectClassified(error, {
      status,
      kind: 'retryable',
      errorCode: 'APIG.0308',
      errorMsg: 'The throttling threshold has been reached',
    });
  });

  it('a custom error_code and error_msg are surfaced as given', async () => {
    mock.current.inject({ status: 500, errorCode: 'WKS.00131199', errorMsg: 'Mail service busy' });
    const error = await apiErrorOf(send());
    expectClassified(error, { status: 500, kind: 'retryable', errorCode: 'WKS.00131199', errorMsg: 'Mail service busy' });
    expect(error.message).toContain('WKS.00131199: Mail service busy');
  });

  it('a gateway body in the { error: { code, message } } shape is read too', async () => {
    mock.current.inject({
      status: 503,
      body: JSON.stringify({ error: { code: 'APIGW.0503', message: 'Gateway overloaded' } }),
      contentType: 'application/json',
    });
    const error = await apiErrorOf(send());
    expectClassified(error, { status: 503, kind: 'retryable', errorCode: 'APIGW.0503', errorMsg: 'Gateway overloaded' });
  });

  it('the listing API is classified the same way', async () => {
    mock.current.inject({ status: 429, on: 'list' });
    const error = await apiErrorOf(listAuthorizationMailRecords({ ...callOptions(mock.current), appGroupId: 'g' }));
    expectClassified(error, { status: 429, kind: 'retryable', errorCode: 'APIG.0308' });
  });
});

describe('redirects are never followed', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('a 302 is a "config" ApiError with a hint, and the token does not travel to the redirect target', async () => {
    const seen: Array<{ url: string | undefined; token: string | string[] | undefined }> = [];
    server = createServer((request, response) => {
      seen.push({ url: request.url, token: request.headers['x-auth-token'] });
      request.resume();
      if (request.url?.startsWith('/elsewhere')) {
        response.writeHead(200).end();
        return;
      }
      response.writeHead(302, { location: '/elsewhere', 'x-request-id': 'redirect-req-1' }).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const error = await apiErrorOf(
      resendAuthorizationMails({ endpoint: `http://127.0.0.1:${port}`, projectId: 'abcdefabcdefabcdefabcdefabcdef01', auth: { token: 'token-that-must-stay-home' }, records }),
    );
    expect(error.status).toBe(302);
    expect(error.kind).toBe('config');
    expect(error.retryable).toBe(false);
    expect(error.requestId).toBe('redirect-req-1');
    expect(error.errorMsg).toMatch(/redirect/);
    expect(seen.map((request) => request.url)).toEqual(['/v1/abcdefabcdefabcdefabcdefabcdef01/mails/actions/send']);
  });
});
