import { describe, expect, it } from 'vitest';
import type { MockWorkspace } from '../../src/mock-server.js';
import { errorOf, listUrl, sendBody, sendUrl } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';
import { sdkDate, signWithNodeCrypto } from '../helpers/sign-with-node-crypto.js';

const start = useMocks();
const ak = 'HPUAEXAMPLEACCESSKEY';
const sk = 'example-secret-key-0123456789';

interface SignedSend {
  readonly body?: string;
  /** The body actually sent, when it differs from the one signed. */
  readonly sentBody?: string;
  readonly signingSk?: string;
  readonly date?: Date | number;
  readonly headers?: Record<string, string>;
}

async function signedSend(mock: MockWorkspace, options: SignedSend = {}): Promise<Response> {
  const url = sendUrl(mock);
  const body = options.body ?? JSON.stringify(sendBody('a'));
  const headers = { 'Content-Type': 'application/json', 'X-Project-Id': mock.projectId, ...options.headers };
  const signed = signWithNodeCrypto({
    method: 'POST',
    url,
    headers,
    body,
    ak,
    sk: options.signingSk ?? sk,
    ...(options.date === undefined ? {} : { date: options.date }),
  });
  return fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body: options.sentBody ?? body });
}

describe('AK/SK (SDK-HMAC-SHA256) authentication', () => {
  it('accepts a send signed with node:crypto as API-FACTS.md describes', async () => {
    const mock = await start({ credentials: [{ ak, sk }] });
    const response = await signedSend(mock);
    expect(response.status).toBe(200);
    expect(mock.deliveredIds()).toEqual(['a']);
  });

  it('accepts a signed listing request whose query needs sorting and encoding', async () => {
    const mock = await start({
      credentials: [{ ak, sk }],
      records: [{ id: '1', app_group_id: 'g 1', account: "o'neil*" }],
    });
    const url = listUrl(mock, { limit: 5, app_group_id: 'g 1', account: "o'neil*", offset: 0 });
    const response = await fetch(url, { headers: signWithNodeCrypto({ method: 'GET', url, ak, sk }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ count: 1 });
  });

  it('answers 401 when the signature was made with another SK', async () => {
    const mock = await start({ credentials: [{ ak, sk }] });
    const error = await errorOf(await signedSend(mock, { signingSk: 'not-the-secret' }));
    expect(error).toMatchObject({ status: 401, error_msg: expect.stringMatching(/signature does not match/) });
    expect(error.error_msg).not.toContain(sk);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const mock = await start({ credentials: [{ ak, sk }] });
    const response = await signedSend(mock, { sentBody: JSON.stringify(sendBody('b')) });
    expect(await errorOf(response)).toMatchObject({ status: 401, error_msg: expect.stringMatching(/signature does not match/) });
  });

  it('takes a declared X-Sdk-Content-Sha256 as the body digest, as the official signers do', async () => {
    const mock = await start({ credentials: [{ ak, sk }] });
    const unsigned = await signedSend(mock, {
      headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      sentBody: JSON.stringify(sendBody('b')),
    });
    expect(unsigned.status).toBe(200);
    const lying = await signedSend(mock, { headers: { 'X-Sdk-Content-Sha256': 'ab'.repeat(32) } });
    expect((await errorOf(lying)).error_msg).toMatch(/X-Sdk-Content-Sha256 header does not match the body/);
    expect(mock.deliveredIds()).toEqual(['b']);
  });

  it('answers 401 when X-Sdk-Date is more than 15 minutes from the server clock, in either direction', async () => {
    const now = Date.UTC(2025, 0, 15, 12, 0, 0);
    const mock = await start({ credentials: [{ ak, sk }], clock: () => now });
    for (const skewMs of [-16 * 60_000, 16 * 60_000]) {
      const error = await errorOf(await signedSend(mock, { date: now + skewMs }));
      expect(error).toMatchObject({ status: 401, error_msg: expect.stringMatching(/X-Sdk-Date is more than 15 minutes/) });
    }
    expect((await signedSend(mock, { date: now - 14 * 60_000 })).status).toBe(200);
  });

  it('answers 401 for a malformed X-Sdk-Date', async () => {
    const mock = await start({ credentials: [{ ak, sk }] });
    const url = sendUrl(mock);
    const body = JSON.stringify(sendBody('a'));
    const signed = signWithNodeCrypto({ method: 'POST', url, body, ak, sk });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signed, 'X-Sdk-Date': '2025-01-15T12:00:00Z' },
      body,
    });
    expect(await errorOf(response)).toMatchObject({ status: 401, error_msg: expect.stringMatching(/YYYYMMDDTHHMMSSZ/) });
  });

  it('requires the matching X-Security-Token for temporary credentials', async () => {
    const securityToken = 'temporary-security-token';
    const mock = await start({ credentials: [{ ak, sk, securityToken }] });
    const missing = await errorOf(await signedSend(mock));
    expect(missing).toMatchObject({ status: 401, error_msg: expect.stringMatching(/X-Security-Token header is missing/) });
    const wrong = await errorOf(await signedSend(mock, { headers: { 'X-Security-Token': 'another-token' } }));
    expect(wrong).toMatchObject({ status: 401, error_msg: expect.stringMatching(/X-Security-Token does not match/) });
    expect(wrong.error_msg).not.toContain(securityToken);
    expect((await signedSend(mock, { headers: { 'X-Security-Token': securityToken } })).status).toBe(200);
  });

  it('answers 401 for an unknown AK, a foreign scheme, or a signature that leaves out host', async () => {
    const mock = await start({ credentials: [{ ak: 'other-ak', sk }] });
    expect((await errorOf(await signedSend(mock))).error_msg).toMatch(/access key \(AK\) is unknown/);

    const basic = await fetch(sendUrl(mock), { method: 'POST', headers: { Authorization: 'Basic abc' }, body: '{}' });
    expect((await errorOf(basic)).error_msg).toMatch(/scheme is not SDK-HMAC-SHA256/);

    const date = sdkDate(Date.now());
    const withoutHost = await fetch(sendUrl(mock), {
      method: 'POST',
      headers: {
        'X-Sdk-Date': date,
        Authorization: `SDK-HMAC-SHA256 Access=other-ak, SignedHeaders=x-sdk-date, Signature=${'0'.repeat(64)}`,
      },
      body: '{}',
    });
    expect((await errorOf(withoutHost)).error_msg).toMatch(/SignedHeaders does not include host/);
  });

  it('lets a valid X-Auth-Token through even when an Authorization header is also present', async () => {
    const mock = await start();
    const response = await fetch(sendUrl(mock), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': mock.token, Authorization: 'Basic abc' },
      body: JSON.stringify(sendBody('a')),
    });
    expect(response.status).toBe(200);
  });
});
