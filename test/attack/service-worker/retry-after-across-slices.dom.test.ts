// @vitest-environment happy-dom
// README: "`Retry-After` and the endpoint gate are in IndexedDB: every slice, like every tab,
// waits them out." A hostile server's Retry-After (absurdly long, an HTTP-date, negative,
// garbage) against a worker that the browser stops between slices: never a request sooner than
// the Retry-After asked (capped by `retry.maxRetryAfterMs`), and no slice held open by it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServedOutbox } from '../../../src/service-worker.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { sendsOf, workerOptions } from './harness/pages.js';
import { settledWithin, WorkerHarness } from './harness/worker-scope.js';

const startMock = useMocks();
let harness: WorkerHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const SLICE_MS = 1000;
const LIMIT_MS = SLICE_MS + 30_000 + 4000;
const FAST_LIMIT_MS = SLICE_MS + 5000;

async function setUp(retryAfter: string | number) {
  const mock = await startMock();
  mock.inject({ status: 503, retryAfter });
  const h = (harness = new WorkerHarness());
  const options = { ...workerOptions(mock), sliceMs: SLICE_MS };
  let served = h.start(options);
  await served.enqueue(makeRecords(3, 'ra'));
  /** The browser stops the worker and starts it again for the next event. */
  const restart = async (): Promise<ServedOutbox> => {
    await h.stop(served);
    served = h.start(options);
    await until(() => served.getSnapshot().role === 'leader', 'the restarted worker to hold the lock');
    return served;
  };
  await until(() => served.getSnapshot().role === 'leader', 'the worker to hold the lock');
  return { mock, h, restart, served: () => served };
}

/** Sync events, the worker restarted before each, until `done()` or `count` slices. */
async function slicesUntil(h: WorkerHarness, restart: () => Promise<ServedOutbox>, done: () => boolean, count: number): Promise<number> {
  let slices = 0;
  while (!done() && slices < count) {
    await restart();
    await settledWithin(h.sync(), FAST_LIMIT_MS, `slice ${slices + 1}`);
    slices++;
  }
  return slices;
}

describe('Retry-After in a worker stopped between slices', () => {
  it('an absurd Retry-After (1e9 s): one request, then none in later slices of restarted workers; each slice ends at once', { timeout: 60_000 }, async () => {
    const { mock, h, restart, served } = await setUp(1_000_000_000);
    const firstAt = Date.now();
    expect(await settledWithin(h.sync(), FAST_LIMIT_MS, 'the first slice')).toBe('resolved');
    expect(sendsOf(mock).map((request) => request.status)).toEqual([503]);
    await slicesUntil(h, restart, () => false, 4);
    expect(sendsOf(mock)).toHaveLength(1);
    // Capped by retry.maxRetryAfterMs (1 hour by default), not sooner.
    const [entry] = await served().pending();
    expect(entry!.nextAttemptAt).toBeGreaterThanOrEqual(firstAt + 3_600_000 - 5_000);
    expect(h.syncTags.length).toBeGreaterThan(0); // each slice asked to be woken again
  });

  it('an HTTP-date Retry-After 4 s ahead: the next request comes no sooner, across restarted workers', { timeout: 60_000 }, async () => {
    const notBefore = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    const { mock, h, restart } = await setUp(new Date(notBefore).toUTCString());
    await settledWithin(h.sync(), LIMIT_MS, 'the first slice');
    expect(sendsOf(mock)[0]?.status).toBe(503);
    await slicesUntil(h, restart, () => new Set(mock.deliveredIds()).size === 3, 40);
    expect(new Set(mock.deliveredIds()).size).toBe(3);
    const [, next] = sendsOf(mock);
    expect(next!.at).toBeGreaterThanOrEqual(notBefore);
  });

  it('Retry-After 3 (seconds) with 1 s slices: no request sooner, over several slices', { timeout: 60_000 }, async () => {
    const { mock, h, restart } = await setUp(3);
    await settledWithin(h.sync(), LIMIT_MS, 'the first slice');
    const slices = await slicesUntil(h, restart, () => new Set(mock.deliveredIds()).size === 3, 40);
    const [refused, next] = sendsOf(mock);
    expect(refused!.status).toBe(503);
    expect(next!.at - refused!.at).toBeGreaterThanOrEqual(3000);
    expect(slices).toBeGreaterThanOrEqual(2);
  });

  it.each([['-5'], ['soon'], ['Wed, 21 Oct 2015 07:28:00 GMT'], ['']])('a Retry-After of %j is no reason to stop: the records go in the next slices', { timeout: 60_000 }, async (value) => {
    const { mock, h, restart } = await setUp(value);
    await settledWithin(h.sync(), LIMIT_MS, 'the first slice');
    await slicesUntil(h, restart, () => new Set(mock.deliveredIds()).size === 3, 20);
    expect(new Set(mock.deliveredIds()).size).toBe(3);
  });
});
