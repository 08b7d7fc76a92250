import { describe, expect, it } from 'vitest';
import { errorOf, list, send, sendBody } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

describe('scripted faults', () => {
  it('answers each fault `times` times, in order, then normally', async () => {
    const mock = await start({ faults: [{ status: 503, times: 2 }, { status: 500 }] });
    const statuses: number[] = [];
    for (const id of ['a', 'b', 'c', 'd']) statuses.push((await send(mock, sendBody(id))).status);
    expect(statuses).toEqual([503, 503, 500, 200]);
    expect(mock.deliveredIds()).toEqual(['d']);
    expect(mock.requests.map((request) => request.fault?.status)).toEqual([503, 503, 500, undefined]);
  });

  it('uses the default error body per status', async () => {
    const mock = await start();
    mock.inject({ status: 429 }, { status: 500 }, { status: 503 });
    expect(await errorOf(await send(mock, sendBody('a')))).toEqual({
      status: 429,
      error_code: 'APIG.0308',
      error_msg: 'The throttling threshold has been reached',
    });
    expect(await errorOf(await send(mock, sendBody('a')))).toMatchObject({ status: 500, error_code: 'WKS.0500' });
    expect(await errorOf(await send(mock, sendBody('a')))).toMatchObject({ status: 503, error_code: 'WKS.0503' });
  });

  it('sends Retry-After only when asked, as seconds or verbatim', async () => {
    const httpDate = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const mock = await start({ faults: [{ status: 429, retryAfter: 3 }, { status: 503, retryAfter: httpDate }, { status: 503 }] });
    expect((await send(mock, sendBody('a'))).headers.get('retry-after')).toBe('3');
    expect((await send(mock, sendBody('a'))).headers.get('retry-after')).toBe(httpDate);
    expect((await send(mock, sendBody('a'))).headers.has('retry-after')).toBe(false);
  });

  it('answers a custom error code and message, or a raw non-JSON body', async () => {
    const mock = await start({
      faults: [
        { status: 503, errorCode: 'APIGW.0503', errorMsg: 'Backend busy' },
        { status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
      ],
    });
    expect(await errorOf(await send(mock, sendBody('a')))).toEqual({ status: 503, error_code: 'APIGW.0503', error_msg: 'Backend busy' });
    const html = await send(mock, sendBody('a'));
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toBe('<html>Bad Gateway</html>');
  });

  it('applies a fault only to the API it is for (send by default)', async () => {
    const mock = await start({ faults: [{ status: 503 }, { status: 500, on: 'list' }] });
    expect((await list(mock, { app_group_id: 'g' })).status).toBe(500);
    expect((await list(mock, { app_group_id: 'g' })).status).toBe(200);
    expect((await send(mock, sendBody('a'))).status).toBe(503);
    mock.inject({ status: 429, on: 'any', times: 2 });
    expect((await list(mock, { app_group_id: 'g' })).status).toBe(429);
    expect((await send(mock, sendBody('a'))).status).toBe(429);
    expect((await send(mock, sendBody('a'))).status).toBe(200);
  });

  it('does not consume a fault on a request that is routed nowhere', async () => {
    const mock = await start({ faults: [{ status: 503 }] });
    expect((await fetch(`${mock.url}/nowhere`)).status).toBe(404);
    expect((await send(mock, sendBody('a'))).status).toBe(503);
  });

  it('answers a fault before checking authentication', async () => {
    const mock = await start({ faults: [{ status: 503 }] });
    expect((await send(mock, sendBody('a'), { 'X-Auth-Token': 'wrong' })).status).toBe(503);
  });

  it('lets a request pass with an empty fault, so a script can fail the 2nd request', async () => {
    const mock = await start();
    mock.inject({}, { status: 503 });
    const statuses = [];
    for (const id of ['a', 'b', 'c']) statuses.push((await send(mock, sendBody(id))).status);
    expect(statuses).toEqual([200, 503, 200]);
    expect(mock.deliveredIds()).toEqual(['a', 'c']);
  });

  it('makes fetch reject for a dropped connection, and logs it as dropped', async () => {
    const mock = await start({ faults: [{ drop: true }] });
    await expect(send(mock, sendBody('a'))).rejects.toThrow(TypeError);
    expect(mock.requests[0]).toMatchObject({ status: 'dropped', fault: { drop: true } });
    expect((await send(mock, sendBody('a'))).status).toBe(200);
    expect(mock.deliveredIds()).toEqual(['a']);
  });

  it('does not count a 200 forced by a fault as delivered', async () => {
    const mock = await start({ faults: [{ status: 200 }] });
    expect((await send(mock, sendBody('a'))).status).toBe(200);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('reset() clears the log and the scripted faults', async () => {
    const mock = await start({ faults: [{ status: 503, times: 5 }] });
    const log = mock.requests;
    await send(mock, sendBody('a'));
    mock.reset();
    expect(mock.requests).toBe(log);
    expect(log).toHaveLength(0);
    expect((await send(mock, sendBody('a'))).status).toBe(200);
    expect(mock.deliveredIds()).toEqual(['a']);
  });

  it('inject() throws a TypeError naming a bad fault', () => {
    return start().then((mock) => {
      expect(() => mock.inject({ status: 503 }, { status: 99 })).toThrow(/faults\[1\]\.status/);
      expect(() => mock.inject({ drop: true, status: 503 })).toThrow(TypeError);
      expect(() => mock.inject({ retryAfter: 1 })).toThrow(/faults\[0\]\.status/);
    });
  });
});
