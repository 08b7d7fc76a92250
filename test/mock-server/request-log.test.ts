import { describe, expect, it } from 'vitest';
import { listUrl, send, sendBody, sendUrl } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';
import { signWithNodeCrypto } from '../helpers/sign-with-node-crypto.js';

const start = useMocks();

describe('request log', () => {
  it('records method, path, query, headers, body, records, status and api, in arrival order', async () => {
    const now = 1_750_000_000_000;
    const mock = await start({ clock: () => now, poisonIds: ['bad'] });
    const body = { records: [{ id: 'a', extra: 'kept' }] };
    await send(mock, body, { 'X-Language': 'en-us' });
    await send(mock, sendBody('bad'));
    await fetch(listUrl(mock, { app_group_id: 'g', limit: 5 }), { headers: { 'X-Auth-Token': mock.token } });
    await fetch(`${mock.url}/elsewhere`);
    expect(mock.requests).toHaveLength(4);
    expect(mock.requests[0]).toMatchObject({
      at: now,
      method: 'POST',
      path: `/v1/${mock.projectId}/mails/actions/send`,
      query: {},
      headers: { 'x-language': 'en-us', 'content-type': 'application/json', 'x-auth-token': '[redacted]' },
      body,
      records: body.records,
      status: 200,
      api: 'send',
    });
    expect(mock.requests[1]).toMatchObject({ status: 400, api: 'send', records: [{ id: 'bad' }] });
    expect(mock.requests[2]).toMatchObject({ method: 'GET', query: { app_group_id: 'g', limit: '5' }, status: 200, api: 'list' });
    expect(mock.requests[2]?.records).toBeUndefined();
    expect(mock.requests[3]).toMatchObject({ path: '/elsewhere', status: 404, api: 'other' });
  });

  it('never holds a token, a signature or a security token', async () => {
    const ak = 'AKEXAMPLE';
    const sk = 'sk-secret-value';
    const securityToken = 'security-token-secret';
    const mock = await start({ token: 'token-secret-value', credentials: [{ ak, sk, securityToken }] });
    await send(mock, sendBody('a'));
    await send(mock, sendBody('a'), { 'X-Auth-Token': 'wrong-token-secret' });
    const url = sendUrl(mock);
    const body = JSON.stringify(sendBody('b'));
    const headers = { 'Content-Type': 'application/json', 'X-Security-Token': securityToken };
    const signed = signWithNodeCrypto({ method: 'POST', url, headers, body, ak, sk });
    expect((await fetch(url, { method: 'POST', headers: { ...headers, ...signed }, body })).status).toBe(200);
    const log = JSON.stringify(mock.requests);
    for (const secret of ['token-secret-value', 'wrong-token-secret', sk, securityToken, signed.Authorization.split('Signature=')[1] ?? '?']) {
      expect(log).not.toContain(secret);
    }
    expect(mock.requests[2]?.headers['authorization']).toBe('[redacted]');
    expect(mock.requests[2]?.headers['x-sdk-date']).toBe(signed['X-Sdk-Date']);
  });
});
