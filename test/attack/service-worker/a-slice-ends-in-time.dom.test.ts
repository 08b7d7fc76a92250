// @vitest-environment happy-dom
// README: "Each slice ... drains for at most `sliceMs` ... inside `event.waitUntil`, and lets the
// request under way finish ... Outside a slice the worker sends nothing." So every waitUntil
// promise settles within sliceMs + requestTimeoutMs (plus a busy machine's slack), whatever the
// server does and whatever the pages ask (their `drain()` and `flush()` are forwarded), and once
// every slice has ended no request starts: every request reaches the server while a slice is open.
import { afterEach, describe, expect, it } from 'vitest';
import type { MockWorkspaceOptions } from '../../../src/mock-server.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { sendsOf, usePages, workerOptions } from './harness/pages.js';
import { sendsOutside, type Window } from './harness/slice-windows.js';
import { settledWithin, WorkerHarness } from './harness/worker-scope.js';

const startMock = useMocks();
const openPage = usePages();
let harness: WorkerHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const SLICE_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
/** A slice's bound, and room for a busy 2-core machine. */
const LIMIT_MS = SLICE_MS + REQUEST_TIMEOUT_MS + 4000;
const always = (fault: NonNullable<MockWorkspaceOptions['faults']>[number]): MockWorkspaceOptions => ({ random: { seed: 7, faults: [{ probability: 1, fault }] } });

/** A worker (the lock's holder) with 5 records waiting, against a mock answering with `fault` every time. */
async function workerAgainst(fault: Parameters<typeof always>[0]) {
  const mock = await startMock(always(fault));
  harness = new WorkerHarness();
  const served = harness.start({ ...workerOptions(mock), sliceMs: SLICE_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  await until(() => served.getSnapshot().role === 'leader', 'the worker to hold the Web Lock');
  await served.enqueue(makeRecords(5, 'b'));
  return { mock, served, harness };
}

/** Once every slice has ended (and 1.5 s more): no request reached the mock outside a slice. */
async function expectSendsOnlyInSlices(h: WorkerHarness, mock: Awaited<ReturnType<typeof workerAgainst>>['mock']): Promise<void> {
  await until(() => !h.inSlice, 'every slice to end', 2 * LIMIT_MS);
  await sleep(1500);
  const windows = h.waits.map((wait): Window => [wait.startedAt, wait.settledAt ?? Infinity]);
  expect(sendsOutside(sendsOf(mock), windows), 'requests outside every slice').toEqual([]);
}

describe('a slice ends within sliceMs + requestTimeoutMs', () => {
  it('a sync event against endless 503s', { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ status: 503 });
    expect(await settledWithin(h.sync(), LIMIT_MS, 'a sync slice under endless 503s')).toBe('resolved');
    await expectSendsOnlyInSlices(h, mock);
  });

  it('a sync event against a server that never answers in time (requests time out)', { timeout: 30_000 }, async () => {
    const { harness: h, mock } = await workerAgainst({ delayMs: 60_000 });
    const fired = h.sync();
    await settledWithin(fired, LIMIT_MS, 'a sync slice against a hanging server');
    expect(sendsOf(mock).length).toBeGreaterThan(0);
  });

  it('a sync event against dropped connections', { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ drop: true });
    await settledWithin(h.sync(), LIMIT_MS, 'a sync slice against dropped connections');
    await expectSendsOnlyInSlices(h, mock);
  });

  it("a page's wake with the command 'flush' (what a page's flush() posts), against endless 503s", { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ status: 503 });
    const fired = h.fire('message', { data: { kind: 'wks-mail-outbox:wake', name: h.name, command: 'flush' } });
    await settledWithin(fired, LIMIT_MS, "a slice woken by a page's flush");
    await expectSendsOnlyInSlices(h, mock);
  });

  it("a page's drain() (forwarded to the worker), against endless 503s", { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ status: 503 });
    const page = openPage(h, mock);
    await until(() => page.getSnapshot().role === 'follower', 'the page to be a follower');
    void page.drain().catch(() => undefined);
    await until(() => h.waits.length > 0, "the page's drain to wake the worker");
    for (const wait of h.waits) expect(wait.type).toBe('message');
    await until(() => !h.inSlice, `every slice woken by the page's drain to end (two slices: ${2 * LIMIT_MS} ms)`, 2 * LIMIT_MS);
    await expectSendsOnlyInSlices(h, mock);
  });

  it("a page's flush() (forwarded to the worker), against endless 503s", { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ status: 503 });
    const page = openPage(h, mock);
    await until(() => page.getSnapshot().role === 'follower', 'the page to be a follower');
    void page.flush().catch(() => undefined);
    await until(() => h.waits.length > 0, "the page's flush to wake the worker");
    await until(() => !h.inSlice, `every slice woken by the page's flush to end (two slices: ${2 * LIMIT_MS} ms)`, 2 * LIMIT_MS);
    await expectSendsOnlyInSlices(h, mock);
  });

  it("a drain command on the outbox's channel (a page's forward, its wake message not there yet): no request outside an event's waitUntil; the worker asks for a sync event and sends in it", { timeout: 30_000 }, async () => {
    const { mock, harness: h } = await workerAgainst({ status: 503 });
    const channel = new BroadcastChannel(`wks-mail-outbox:${h.name}`);
    try {
      channel.postMessage({ kind: 'command', command: 'drain' });
      // Not run on the spot: the worker asks the browser for a sync event, and sends in its slice.
      await until(() => h.syncTags.includes(`wks-mail-outbox:${h.name}`), 'the worker asking for a sync event', 10_000);
      expect(sendsOf(mock)).toEqual([]);
      h.sync();
      await until(() => sendsOf(mock).length > 0, 'the sync slice sending', 10_000);
      await sleep(SLICE_MS + 500);
      await expectSendsOnlyInSlices(h, mock);
    } finally {
      channel.close();
    }
  });
});
