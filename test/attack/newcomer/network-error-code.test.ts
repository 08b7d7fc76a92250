// Attack on NetworkError.code (CHANGELOG: "NetworkError.code names the cause"): real sockets on
// 127.0.0.1 that refuse, reset, speak no TLS, or never answer, and a name that cannot resolve.
// The message never carries the endpoint's credentials or the token.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { resendAuthorizationMails } from '../../../src/index.js';
import { rejectionOf } from '../../helpers/caught.js';
import { TOKEN, expectNoSecretIn } from '../../helpers/secret-encodings.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A raw TCP server doing `onSocket` with every connection; its port. */
async function tcpServer(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (bound, then closed). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The error of one send of one record to `endpoint`. */
async function failure(endpoint: string, timeoutMs?: number) {
  return rejectionOf(
    resendAuthorizationMails({ endpoint, projectId: PROJECT, auth: { token: TOKEN }, records: [{ id: 'x' }], ...(timeoutMs ? { timeoutMs } : {}) } as never),
  );
}

function expectClean(error: Error & Record<string, any>, where: string): void {
  const text = `${error.message}\n${JSON.stringify({ ...error })}`;
  expectNoSecretIn(text, [TOKEN, 'hunter2-password'], where);
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('.invalid');
}

describe('NetworkError.code', () => {
  it('refused: nothing listens', async () => {
    const error = await failure(`http://127.0.0.1:${await freePort()}`);
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('refused');
    expectClean(error, 'refused');
  });

  it('dns: a .invalid host', async () => {
    const error = await failure('https://workspace.no-such-host.invalid');
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('dns');
    expectClean(error, 'dns');
  });

  it('tls: https to a server that speaks plain HTTP', async () => {
    const http = createHttpServer((_, response) => response.end('plain'));
    servers.push(http as unknown as Server);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const error = await failure(`https://127.0.0.1:${(http.address() as AddressInfo).port}`);
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('tls');
    expectClean(error, 'tls');
  });

  it('reset: a server that destroys the socket once the request came', async () => {
    const port = await tcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const error = await failure(`http://127.0.0.1:${port}`);
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('reset');
    expectClean(error, 'reset');
  });

  it('reset: a server that ends the connection without a word', async () => {
    const port = await tcpServer((socket) => socket.once('data', () => socket.end()));
    const error = await failure(`http://127.0.0.1:${port}`);
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('reset');
  });

  it('a server that never answers: a TimeoutError (the call timeout), not a NetworkError', async () => {
    const port = await tcpServer(() => undefined);
    const error = await failure(`http://127.0.0.1:${port}`, 300);
    expect(error.name).toBe('TimeoutError');
    expectClean(error, 'timeout');
  });

  it('an endpoint with user:password is refused or never quoted', async () => {
    let error;
    try {
      error = await failure(`http://user:hunter2-password@127.0.0.1:${await freePort()}`);
    } catch (thrown) {
      error = thrown as Error & Record<string, any>;
    }
    expectClean(error, 'credentials in the endpoint');
  });
});
