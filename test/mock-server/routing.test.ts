import { describe, expect, it } from 'vitest';
import { errorOf, send, sendBody, sendUrl } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

describe('routing', () => {
  it('answers 404 APIG.0101 for a path that is not an API', async () => {
    const mock = await start();
    for (const path of ['/', '/v1', `/v1/${mock.projectId}/mails/actions/send/`, `/v2/${mock.projectId}/mails`]) {
      const response = await fetch(`${mock.url}${path}`, { headers: { 'X-Auth-Token': mock.token } });
      expect(await errorOf(response)).toEqual({
        status: 404,
        error_code: 'APIG.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
      });
    }
    expect(mock.requests.map((request) => request.api)).toEqual(['other', 'other', 'other', 'other']);
  });

  it('answers 405 for a wrong method on the send and list APIs, naming the allowed one', async () => {
    const mock = await start();
    const getSend = await fetch(sendUrl(mock), { headers: { 'X-Auth-Token': mock.token } });
    expect(getSend.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await errorOf(getSend)).toMatchObject({ status: 405, error_code: 'WKS.0405' });
    const postList = await fetch(`${mock.url}/v1/${mock.projectId}/mails`, { method: 'POST', body: '{}' });
    expect(await errorOf(postList)).toMatchObject({ status: 405, error_code: 'WKS.0405' });
    const deleteSend = await fetch(sendUrl(mock), { method: 'DELETE' });
    expect(deleteSend.status).toBe(405);
  });

  it('answers the gateway\'s 404 APIG.0101 "project not found" for another project id, after authentication', async () => {
    const mock = await start();
    const other = 'f'.repeat(32);
    const response = await send(mock, sendBody('a'), {}, sendUrl(mock, other));
    expect(await errorOf(response)).toEqual({
      status: 404,
      error_code: 'APIG.0101',
      error_msg: 'The API does not exist or has not been published in the environment: project not found',
    });
    const unauthenticated = await send(mock, sendBody('a'), { 'X-Auth-Token': 'nope' }, sendUrl(mock, other));
    expect(unauthenticated.status).toBe(401);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('answers 415 for a send whose Content-Type is not application/json', async () => {
    const mock = await start();
    const text = await send(mock, JSON.stringify(sendBody('a')), { 'Content-Type': 'text/plain' });
    expect(await errorOf(text)).toMatchObject({ status: 415, error_code: 'WKS.0415' });
    const form = await fetch(sendUrl(mock), { method: 'POST', headers: { 'X-Auth-Token': mock.token }, body: new URLSearchParams({ a: '1' }) });
    expect(form.status).toBe(415);
    const withCharset = await send(mock, sendBody('a'), { 'Content-Type': 'Application/JSON; charset=utf-8' });
    expect(withCharset.status).toBe(200);
  });

  it('answers 413 for a send body larger than maxBodyBytes', async () => {
    const mock = await start({ maxBodyBytes: 100 });
    const small = await send(mock, sendBody('a'));
    expect(small.status).toBe(200);
    const large = await send(mock, sendBody(...Array.from({ length: 20 }, (_, index) => `record-${index}`)));
    expect(await errorOf(large)).toMatchObject({ status: 413, error_code: 'APIG.0201' });
    expect(mock.deliveredIds()).toEqual(['a']);
  });

  it('answers 413 for 1 MiB + 1 byte by default', async () => {
    const mock = await start();
    const body = JSON.stringify({ records: [{ id: 'a', account: 'x'.repeat(1024 * 1024) }] });
    expect((await send(mock, body)).status).toBe(413);
  });
});
