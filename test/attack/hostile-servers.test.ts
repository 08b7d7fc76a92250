// Attacks on: classification, "never sooner than Retry-After", "no hang past the limits",
// "server text bounded", and "secrets never thrown/stored/printed in any encoding",
// by real HTTP servers on 127.0.0.1 that answer as a hostile or broken service would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, resendAuthorizationMails, MemoryStore, isApiError } from '../../src/index.js';
import { PROJECT } from '../helpers/project.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers: Array<{ close: () => Promise<void> }> = [];

async function serve(handler: Handler): Promise<{ url: string; requests: number }> {
  const state = { url: '', requests: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      state.requests++;
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push({ close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) });
  return state;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-1', ...headers });
  res.end(JSON.stringify(value));
};

/** An IAM-sized token (they are several KiB long). */
const longToken = () => 'MIIZ' + randomBytes(9000).toString('base64').replace(/[+/=]/g, 'x').slice(0, 9996);

describe('secrets and classification with a real-sized token', () => {
  it('a 400 with a long error_msg is still an ApiError (rejected), not a NetworkError, when the token is ~10 KB', async () => {
    const token = longToken();
    const server = await serve((_req, res) => json(res, 400, { error_code: 'WKS.0001', error_msg: 'bad record: ' + 'x'.repeat(12_000) }));
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token }, records: [{ id: 'a' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isApiError(error), `got ${(error as Error)?.name}: ${(error as Error)?.message}`).toBe(true);
  });

  it('no thrown error (cause chain included, as console.error prints it) holds the token in hex or base64', async () => {
    const token = longToken();
    const server = await serve((_req, res) => json(res, 503, { error_code: 'WKS.0503', error_msg: 'busy ' + 'y'.repeat(12_000) }));
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token }, records: [{ id: 'a' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const printed = inspect(error, { depth: 10, maxStringLength: Infinity });
    const hex = Buffer.from(token.slice(0, 200)).toString('hex');
    const b64 = Buffer.from(token.slice(0, 300)).toString('base64').slice(0, 200);
    expect(printed.toLowerCase().includes(hex), 'token (hex) printed with the thrown error').toBe(false);
    expect(printed.includes(b64), 'token (base64) printed with the thrown error').toBe(false);
  });

  it('the outbox dead-letters a record the service rejects (400) with a long message, instead of retrying it as a network error', async () => {
    const token = longToken();
    const server = await serve((_req, res) => json(res, 400, { error_code: 'WKS.0001', error_msg: 'z'.repeat(12_000) }));
    const outbox = createOutbox({ endpoint: server.url, projectId: PROJECT, auth: { token }, store: new MemoryStore(), retry: { minDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 } });
    const reasons: string[] = [];
    outbox.on('failed', (e) => reasons.push(`${e.reason}:${e.error.name}`));
    await outbox.enqueue({ id: 'r1' });
    await outbox.drain();
    await outbox.close();
    expect(reasons).toEqual(['rejected:ApiError']);
    expect(server.requests).toBe(1);
  });
});

describe('echoed secrets in other encodings', () => {
  async function echoed(token: string, echo: string): Promise<string> {
    const server = await serve((_req, res) => json(res, 503, { error_code: 'WKS.0503', error_msg: `token was ${echo}` }, { 'x-request-id': /[\r\n]/.test(echo) ? 'req-2' : echo.slice(0, 100) }));
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token }, records: [{ id: 'a' }] }).catch((e: unknown) => e);
    return JSON.stringify(error) + String((error as Error).message) + String((error as Error).stack);
  }

  it('base64url (unpadded, as base64url usually is) of a 5-character token is redacted like its base64', async () => {
    const token = 'k9Zq2';
    const out = await echoed(token, Buffer.from(token).toString('base64url'));
    expect(out).not.toContain(Buffer.from(token).toString('base64url'));
  });

  it('MIME-wrapped base64 (line breaks every 76 characters) of a token is redacted', async () => {
    const token = 'tok-' + randomBytes(90).toString('hex');
    const wrapped = Buffer.from(token).toString('base64').replace(/(.{76})/g, '$1\r\n');
    const out = await echoed(token, wrapped);
    expect(out).not.toContain(Buffer.from(token).toString('base64').slice(0, 76));
  });

  it('the documented forms hold: as is, cases, URL-encoded once and twice, JSON-escaped, base64, base64url, hex', async () => {
    const token = 'Ab+/c=d ' + randomBytes(24).toString('base64');
    const forms = [
      token, token.toUpperCase(), token.toLowerCase(), encodeURIComponent(token), encodeURIComponent(encodeURIComponent(token)),
      Buffer.from(token).toString('base64'), Buffer.from(token).toString('base64url'), Buffer.from(token).toString('hex').toUpperCase(),
      Buffer.from('xy' + token + 'z').toString('base64'),
    ];
    for (const form of forms) {
      const out = await echoed(token, form);
      expect(out, form).not.toContain(form.slice(0, 40));
    }
  });
});

describe('Retry-After of every shape', () => {
  async function retryAtFor(header: string | string[] | undefined): Promise<{ delayMs: number; now: number; retryAt: number }> {
    const server = await serve((_req, res) => json(res, 503, { error_code: 'WKS.0503', error_msg: 'busy' }, header === undefined ? {} : { 'retry-after': header }));
    const now = 1_700_000_000_000;
    const outbox = createOutbox({ endpoint: server.url, projectId: PROJECT, auth: { token: 'tok-abcdef' }, store: new MemoryStore(), now: () => now, retry: { minDelayMs: 10, maxDelayMs: 20, jitter: 0 } });
    const seen = new Promise<{ delayMs: number; retryAt: number }>((resolve) => outbox.on('retrying', (e) => resolve({ delayMs: e.delayMs, retryAt: e.retryAt })));
    await outbox.enqueue({ id: 'r' });
    outbox.start();
    const result = await seen;
    await outbox.close();
    return { ...result, now };
  }

  it.each([
    ['120', 120_000],
    ['5, 120', 120_000],
    [['120', '5'], 120_000],
    ['1' + '0'.repeat(400), 3_600_000],
    ['Fri, 01 Jan 2100 00:00:00 GMT', 3_600_000],
    ['7.5', 7_500],
  ])('Retry-After %j waits at least %i ms', async (header, atLeast) => {
    const { delayMs, now, retryAt } = await retryAtFor(header as string);
    expect(delayMs).toBeGreaterThanOrEqual(atLeast);
    expect(retryAt - now).toBeGreaterThanOrEqual(atLeast);
    expect(Number.isFinite(retryAt)).toBe(true);
  });

  it.each([['-1'], ['1e309'], ['NaN'], ['Thu, 01 Jan 1970 00:00:00 GMT'], ['']])('Retry-After %j falls back to backoff, finite', async (header) => {
    const { delayMs } = await retryAtFor(header);
    expect(Number.isFinite(delayMs)).toBe(true);
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(20);
  });
});

describe('silent, slow and endless servers', () => {
  it('a server that accepts and never answers costs one requestTimeoutMs, then a retryable TimeoutError', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token: 'tok-abcdef' }, records: [{ id: 'a' }], timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a 503 whose body trickles forever ends at requestTimeoutMs', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.write('{"error_msg":"');
      const timer = setInterval(() => res.write('a'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token: 'tok-abcdef' }, records: [{ id: 'a' }], timeoutMs: 400 }).catch((e: unknown) => e);
    expect(['TimeoutError', 'ApiError']).toContain((error as Error).name);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a 503 with an endless fast body is cut; errorMsg stays bounded and marked', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'C'.repeat(5000), error_msg: 'm'.repeat(60_000) }));
    });
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token: 'tok-abcdef' }, records: [{ id: 'a' }] }).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    const api = error as { errorMsg: string; errorCode: string; message: string };
    expect(api.errorMsg.length).toBeLessThanOrEqual(1024 + 40);
    expect(api.errorMsg).toMatch(/\[cut \d+ characters\]$/);
    expect(api.errorCode.length).toBeLessThanOrEqual(128 + 40);
    expect(api.message.length).toBeLessThanOrEqual(3000);
  });
});

describe('404 bodies of every shape', () => {
  it.each([
    ['no body', ''],
    ['HTML page', '<html><body>404 Not Found</body></html>'],
    ['gateway code', JSON.stringify({ error_code: 'APIG.0101', error_msg: 'The API does not exist or has not been published in the environment' })],
    ['nested gateway shape', JSON.stringify({ error: { code: 'APIGW.0101', message: 'x' } })],
    ['project message', JSON.stringify({ error_code: 'WKS.0404', error_msg: 'The project 0123 does not exist.' })],
    ['generic JSON without error fields', JSON.stringify({ message: 'no Route matched with those values' })],
  ])('%s: pauses (config), keeps every record, no split', async (_name, body) => {
    const server = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/html' });
      res.end(body);
    });
    const outbox = createOutbox({ endpoint: server.url, projectId: PROJECT, auth: { token: 'tok-abcdef' }, store: new MemoryStore() });
    await outbox.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);
    await outbox.drain();
    expect(outbox.pausedReason).toBe('config');
    expect((await outbox.pending()).length).toBe(4);
    expect((await outbox.dead()).length).toBe(0);
    expect(server.requests).toBe(1);
    await outbox.close();
  });
});
