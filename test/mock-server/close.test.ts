import { request, Agent } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../src/mock-server.js';
import { send, sendBody } from '../helpers/mock-http.js';
import { sleep } from '../helpers/sleep.js';

describe('close()', () => {
  it('closes promptly while a keep-alive connection is open, and is idempotent', async () => {
    const mock = await startMockWorkspace();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let socketClosed: Promise<void> | undefined;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const outgoing = request(
        `${mock.url}/v1/${mock.projectId}/mails?app_group_id=g`,
        { agent, headers: { 'X-Auth-Token': mock.token } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        },
      );
      outgoing.on('socket', (socket) => {
        socketClosed = new Promise((closed) => socket.once('close', () => closed()));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(status).toBe(200);
    // The agent keeps the idle socket open for the next request: close() must not wait for it.
    expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    const started = performance.now();
    await Promise.all([mock.close(), mock.close()]);
    expect(socketClosed).toBeDefined();
    await socketClosed;
    expect(performance.now() - started).toBeLessThan(1000);
    await mock.close();
    await expect(fetch(mock.url)).rejects.toThrow();
    agent.destroy();
  });

  it('ends a delayed answer at once and logs it as dropped', async () => {
    const mock = await startMockWorkspace({ faults: [{ delayMs: 10_000 }] });
    const pending = send(mock, sendBody('a')).catch((error: unknown) => error);
    await sleep(100);
    const started = performance.now();
    await mock.close();
    expect(await pending).toBeInstanceOf(TypeError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(mock.requests[0]?.status).toBe('dropped');
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('listens on the port it is given, on 127.0.0.1', async () => {
    const probe = await startMockWorkspace();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const mock = await startMockWorkspace({ port });
    try {
      expect(mock.url).toBe(`http://127.0.0.1:${port}`);
      await expect(startMockWorkspace({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await mock.close();
    }
  });
});
