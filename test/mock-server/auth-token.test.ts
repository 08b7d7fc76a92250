import { describe, expect, it } from 'vitest';
import { errorOf, send, sendBody } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

describe('token authentication', () => {
  it('answers 401 when there is no X-Auth-Token and no Authorization header', async () => {
    const mock = await start();
    const response = await fetch(`${mock.url}/v1/${mock.projectId}/mails/actions/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('a')),
    });
    expect(await errorOf(response)).toMatchObject({ status: 401, error_code: 'APIG.1002' });
  });

  it('answers 401 "Incorrect token" for a wrong token, without echoing it', async () => {
    const mock = await start();
    const response = await send(mock, sendBody('a'), { 'X-Auth-Token': 'wrong-token-value' });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 401, error_code: 'APIG.1002', error_msg: 'Incorrect token or token resolution failed' });
    expect(JSON.stringify(error)).not.toContain('wrong-token-value');
  });

  it('accepts the default token, a given token and the extra tokens', async () => {
    const generated = await start();
    expect(generated.token.length).toBeGreaterThanOrEqual(16);
    expect(generated.projectId).toMatch(/^[0-9a-f]{32}$/);
    expect((await send(generated, sendBody('a'))).status).toBe(200);

    const mock = await start({ token: 'main', tokens: ['refreshed'] });
    expect(mock.token).toBe('main');
    expect((await send(mock, sendBody('b'))).status).toBe(200);
    expect((await send(mock, sendBody('c'), { 'X-Auth-Token': 'refreshed' })).status).toBe(200);
    expect(mock.deliveredIds()).toEqual(['b', 'c']);
  });

  it('answers 403 "Permissions required" for a forbidden token and sends nothing', async () => {
    const mock = await start({ forbiddenTokens: ['read-only'] });
    const response = await send(mock, sendBody('a'), { 'X-Auth-Token': 'read-only' });
    expect(await errorOf(response)).toEqual({ status: 403, error_code: 'WKS.0403', error_msg: 'Permissions required' });
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('answers 200 with no body for a valid send', async () => {
    const mock = await start();
    const response = await send(mock, sendBody('a', 'b'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-type')).toBeNull();
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
  });
});
