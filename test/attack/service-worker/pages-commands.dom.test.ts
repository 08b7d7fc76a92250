// @vitest-environment happy-dom
// README: pages of `sender: 'service-worker'` "see every event through the outbox's
// BroadcastChannel (`subscribe`/`getSnapshot` work as before; `drain()`, `flush()`, `pause()`,
// `resume()` are forwarded)", and say who sends with a `coordination` event. A worker is not
// always running: the browser stops it when idle (here: its outbox closed) and starts it for the
// next event (README: a pause goes with it; drain/flush become slices).
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEvents } from '../../../src/index.js';
import { collect } from '../../helpers/outbox-events.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { sendsOf, usePages, workerOptions } from './harness/pages.js';
import { settledWithin, WorkerHarness } from './harness/worker-scope.js';

const startMock = useMocks();
const openPage = usePages();
let harness: WorkerHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

type Coordination = OutboxEvents['coordination'];

describe("a page's view and commands, the worker sending", () => {
  it('coordination says who sends; sent events, getSnapshot, subscribe and drain() follow the worker', { timeout: 30_000 }, async () => {
    const mock = await startMock({ latencyMs: 20 });
    const h = (harness = new WorkerHarness());
    h.start({ ...workerOptions(mock), batchSize: 5 });
    const page = openPage(h, mock);
    const roles = collect(page, 'coordination');
    const sent = collect(page, 'sent');
    let notified = 0;
    page.subscribe(() => void notified++);
    await until(() => roles.length > 0, "the page's coordination event");
    expect(roles).toEqual<Coordination[]>([{ role: 'follower', reason: expect.stringContaining('service worker sends') }]);
    await page.enqueue(makeRecords(20, 'view'));
    const summary = await page.drain();
    expect(summary.pending).toBe(0);
    expect(new Set(mock.deliveredIds()).size).toBe(20);
    await until(() => sent.length === 20 && page.getSnapshot().counts.total === 0, "the page's sent events and snapshot to follow", 10_000);
    expect(page.getSnapshot().role).toBe('follower');
    expect(notified).toBeGreaterThan(0);
  });

  it('with no worker registered the page sends as tabs do, and says why', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const h = (harness = new WorkerHarness());
    h.registered = false;
    const page = openPage(h, mock);
    const roles = collect(page, 'coordination');
    await until(() => page.getSnapshot().role === 'leader', 'the page to lead');
    expect(roles.at(-1)).toEqual<Coordination>({ role: 'leader', reason: expect.stringContaining('no service worker is registered') });
    await page.enqueue(makeRecords(5, 'alone'));
    await until(() => new Set(mock.deliveredIds()).size === 5, 'the page to send');
  });

  // README: "A pause lives in the worker's memory" (it goes when the browser stops the worker):
  // here the worker runs throughout. pause() with no reason is 'offline'; the browser is online.
  it("pause() in a page holds in the running worker: the write's message and the sync event the browser fires for it send nothing", { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const h = (harness = new WorkerHarness());
    const served = h.start(workerOptions(mock));
    const page = openPage(h, mock);
    await until(() => page.getSnapshot().role === 'follower' && served.getSnapshot().role === 'leader', 'the worker to send for the page');
    page.pause();
    await until(() => served.pausedReason === 'offline' && page.getSnapshot().pausedReason === 'offline', 'the pause to reach the worker and come back');
    const tags = h.syncTags.length;
    await page.enqueue(makeRecords(5, 'held'));
    expect(h.syncTags.length).toBeGreaterThan(tags); // the page registered the sync tag: Chromium fires it at once (online)
    await settledWithin(h.sync(), 10_000, 'the sync event of the write');
    await until(() => !h.inSlice, "the write's slices to end", 15_000);
    await sleep(500);
    expect(sendsOf(mock).length, 'requests sent although the page paused the outbox').toBe(0);
    expect(page.getSnapshot().pausedReason).toBe('offline');
  });

  it('resume() in a page after the worker paused (forbidden) sends the records', { timeout: 30_000 }, async () => {
    const mock = await startMock({ forbiddenTokens: ['no-permission-token'] });
    const h = (harness = new WorkerHarness());
    let token = 'no-permission-token';
    h.start({ ...workerOptions(mock), auth: { token: () => token } });
    const page = openPage(h, mock);
    const paused = collect(page, 'paused');
    await page.enqueue(makeRecords(5, 'forbidden'));
    await until(() => paused.some((event) => event.reason === 'forbidden'), "the worker's pause (forbidden), relayed to the page", 15_000);
    await until(() => !h.inSlice, 'the slice to end');
    token = mock.token; // the permission was granted meanwhile
    page.resume();
    await until(() => new Set(mock.deliveredIds()).size === 5, 'the records to go after resume()', 15_000);
  });
});
