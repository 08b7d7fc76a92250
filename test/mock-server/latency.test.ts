import { describe, expect, it } from 'vitest';
import { send, sendBody } from '../helpers/mock-http.js';
import { useMocks } from '../helpers/mock-service.js';
import { sleep } from '../helpers/sleep.js';

const start = useMocks();

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await action();
  return { result, ms: performance.now() - started };
}

describe('latency', () => {
  it('adds latencyMs to every answer', async () => {
    const mock = await start({ latencyMs: 150 });
    const { result, ms } = await timed(() => send(mock, sendBody('a')));
    expect(result.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(140);
    const preflight = await timed(() => fetch(mock.url, { method: 'OPTIONS' }));
    expect(preflight.ms).toBeGreaterThanOrEqual(140);
  });

  it('a delay-only fault slows one answer that is otherwise normal', async () => {
    const mock = await start({ faults: [{ delayMs: 200 }] });
    const slow = await timed(() => send(mock, sendBody('a')));
    expect(slow.result.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(190);
    const fast = await timed(() => send(mock, sendBody('b')));
    expect(fast.ms).toBeLessThan(150);
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
    expect(mock.requests[0]?.fault).toEqual({ delayMs: 200 });
  });

  it('delays a fault answer and a drop', async () => {
    const mock = await start({ faults: [{ status: 503, delayMs: 150 }, { drop: true, delayMs: 150 }] });
    const failed = await timed(() => send(mock, sendBody('a')));
    expect(failed.result.status).toBe(503);
    expect(failed.ms).toBeGreaterThanOrEqual(140);
    const dropped = await timed(() => send(mock, sendBody('a')).catch((error: unknown) => error));
    expect(dropped.result).toBeInstanceOf(TypeError);
    expect(dropped.ms).toBeGreaterThanOrEqual(140);
  });

  it('lets a client time out: the service processed the send but the answer is logged as dropped', async () => {
    const mock = await start({ faults: [{ delayMs: 300 }] });
    await expect(
      fetch(`${mock.url}/v1/${mock.projectId}/mails/actions/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': mock.token },
        body: JSON.stringify(sendBody('a')),
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow();
    await sleep(400);
    expect(mock.requests[0]?.status).toBe('dropped');
    expect(mock.deliveredIds()).toEqual([]);
  });
});
