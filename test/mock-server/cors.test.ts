import { describe, expect, it } from 'vitest';
import { send, sendBody, sendUrl } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';

const start = useMocks();

describe('CORS and request ids', () => {
  it('answers a preflight with 204 and the allowed methods and headers, without logging it', async () => {
    const mock = await start();
    const response = await fetch(sendUrl(mock), {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://console.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-auth-token',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = response.headers.get('access-control-allow-headers')?.split(/,\s*/) ?? [];
    expect(allowed).toEqual(
      expect.arrayContaining(['Content-Type', 'X-Auth-Token', 'X-Language', 'X-Sdk-Date', 'Authorization', 'X-Security-Token', 'X-Project-Id']),
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(mock.requests).toHaveLength(0);
  });

  it('puts CORS headers on every answer, errors and faults included', async () => {
    const mock = await start({ faults: [{ status: 429, retryAfter: 2 }] });
    const answers = [
      await send(mock, sendBody('a')),
      await send(mock, sendBody('a')),
      await send(mock, '{', {}),
      await fetch(`${mock.url}/nowhere`),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([429, 200, 400, 404]);
    for (const answer of answers) {
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-expose-headers')).toBe('X-Request-Id, Retry-After');
    }
  });

  it('gives every answer a unique X-Request-Id, and logs it', async () => {
    const mock = await start({ faults: [{ status: 503 }] });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = await send(mock, index === 4 ? '{' : sendBody('a'), index === 3 ? { 'X-Auth-Token': 'x' } : {});
      const id = answer.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      ids.push(id ?? '');
    }
    const preflight = await fetch(mock.url, { method: 'OPTIONS' });
    ids.push(preflight.headers.get('x-request-id') ?? '');
    expect(new Set(ids).size).toBe(6);
    expect(mock.requests.map((request) => request.id)).toEqual(ids.slice(0, 5));
  });
});
