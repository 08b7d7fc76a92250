import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

/** Writes raw bytes on one connection and collects what comes back until `expected` answers arrived. */
function exchange(url: string, raw: string, expected: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= expected) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.setTimeout(3000, () => reject(new Error(`timed out; got: ${received}`)));
  });
}

describe('raw HTTP/1.1', () => {
  it('answers pipelined requests in order, delayed ones included', async () => {
    const mock = await start({ faults: [{ delayMs: 100, on: 'list' }] });
    const get = (query: string): string =>
      `GET /v1/${mock.projectId}/mails?${query} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${mock.token}\r\n\r\n`;
    const received = await exchange(mock.url, get('app_group_id=a') + get('limit=0&app_group_id=b'), 2);
    expect(received.match(/HTTP\/1\.1 (\d{3})/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 400']);
  });

  it('answers an unknown method on an API path with 405 and logs it', async () => {
    const mock = await start();
    const received = await exchange(
      mock.url,
      `PURGE /v1/${mock.projectId}/mails/actions/send HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`,
      1,
    );
    expect(received).toMatch(/^HTTP\/1\.1 405/);
    expect(received.toLowerCase()).toContain('x-request-id: ');
    expect(mock.requests[0]).toMatchObject({ method: 'PURGE', status: 405, api: 'other' });
  });

  it('routes the path as received: dot segments are not resolved', async () => {
    const mock = await start();
    const received = await exchange(
      mock.url,
      `POST /v1/${mock.projectId}/mails/x/../actions/send HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${mock.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      1,
    );
    expect(received).toMatch(/^HTTP\/1\.1 404/);
    expect(mock.requests[0]?.path).toBe(`/v1/${mock.projectId}/mails/x/../actions/send`);
  });
});
