// In Chromium: what a page of `sender: 'service-worker'` says and asks, with the real worker.
// README: "`drain()`, `flush()`, `pause()`, `resume()` are forwarded", "Outside a slice the worker
// sends nothing", a slice lasts at most `sliceMs` and the request under way; with no worker, "or a
// first install that failed, they send as tabs do and say so".
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { withBrowser } from '../../helpers/service-worker-app.js';
import { overlapping, sendsOf, untilDelivered } from '../../service-worker/sends.js';
import { attackPage, untilSlicesEnd, useAttackApp } from './app/bed.js';
import { attackIn, attackWorkerQuery, slicesIn, windowsIn } from './app/serve.js';
import { sendsOutside } from './harness/slice-windows.js';

const app = useAttackApp();

describe('a page and the worker in Chromium', () => {
  it('two pages see the worker deliver: coordination, sent events, getSnapshot, drain()', { timeout: 120_000 }, () =>
    withBrowser(app(), { latencyMs: 30 }, async (bed) => {
      const a = await attackPage(bed, app(), { name: 'view' }, { name: 'view', sender: 'service-worker' });
      const b = await attackPage(bed, app(), undefined, { name: 'view', sender: 'service-worker' });
      await attackIn(a, (api, ids) => api.enqueue(ids), paddedIds('v', 40));
      const summary = await attackIn(b, (api) => api.drain());
      expect(summary.pending).toBe(0);
      await untilDelivered(bed.mock, 40, '40 delivered', 60_000, app().log);
      for (const page of [a, b]) {
        await page.waitForFunction(() => (window as any).attack.events('sent').length === 40 && (window as any).attack.snapshot().total === 0, undefined, { timeout: 30_000 });
        const said = (await attackIn(page, (api) => api.events('coordination'))) as Array<{ role: string; reason?: string }>;
        expect(said.at(-1)).toEqual({ role: 'follower', reason: expect.stringContaining('service worker sends') });
        expect((await attackIn(page, (api) => api.snapshot())).notified).toBeGreaterThan(0);
      }
      expect(bed.mock.deliveredIds()).toHaveLength(40);
      expect(overlapping(bed.mock, 30)).toEqual([]);
    }));

  it('a first install that fails (a bad option in the worker script): the page sends as tabs do and says so', { timeout: 120_000 }, () =>
    withBrowser(app(), { latencyMs: 30 }, async (bed) => {
      const page = await attackPage(bed, app(), undefined, { name: 'bad-install', sender: 'service-worker', batchSize: 10 });
      // The outbox is there first; the registration races its enqueue.
      const [registered] = await Promise.all([
        attackIn(page, (api, query) => api.register(query, { wait: false }), attackWorkerQuery(bed.mock, { name: 'bad-install', bad: 'sliceMs' })),
        attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('f', 50)),
      ]);
      expect(registered).toMatch(/^refused/);
      await untilDelivered(bed.mock, 50, 'the page to send the 50', 60_000, app().log);
      const said = (await attackIn(page, (api) => api.events('coordination'))) as Array<{ role: string; reason?: string }>;
      expect(said.at(-1)).toEqual({ role: 'leader', reason: expect.stringContaining('no service worker is registered') });
      expect(bed.mock.deliveredIds()).toHaveLength(50);
      expect(overlapping(bed.mock, 30)).toEqual([]);
    }));

  // A page of sender 'tabs' is a follower while the (idle, still running) worker holds the lock:
  // its drain() reaches the worker on the outbox's channel only, with no event to hold it.
  it("a 'tabs' page's drain() while the worker idles: no request is sent outside a waitUntil", { timeout: 120_000 }, () =>
    withBrowser(app(), { latencyMs: 20 }, async (bed) => {
      const sliceMs = 2000;
      const page = await attackPage(bed, app(), { name: 'idle-drain', sliceMs, requestTimeoutMs: 3000 }, { name: 'idle-drain', sender: 'service-worker' });
      await attackIn(page, (api, ids) => api.enqueue(ids), ['first']);
      await untilDelivered(bed.mock, 1, 'the first record', 30_000, app().log);
      await page.close();
      await untilSlicesEnd(app(), 'the slices to end', 30_000);
      bed.mock.setRandom({ seed: 5, faults: [{ probability: 1, fault: { status: 503 } }] });
      const tabs = await attackPage(bed, app(), undefined, { name: 'idle-drain', sender: 'tabs' });
      await attackIn(tabs, (api, ids) => api.enqueue(ids), paddedIds('x', 5));
      expect((await attackIn(tabs, (api) => api.snapshot())).role, 'the worker (alive, idle) holds the lock').toBe('follower');
      await attackIn(tabs, (api) => void api.drain().catch(() => undefined));
      await sleep(sliceMs + 3000);
      await untilSlicesEnd(app(), 'every waitUntil to end', 30_000);
      expect(app().log.some((line) => / sending 5 x000$/.test(line)), 'the worker (not the page) sent the records').toBe(true);
      expect(sendsOutside(sendsOf(bed.mock), windowsIn(app().log)), 'requests that reached the mock with no waitUntil open').toEqual([]);
    }));

  // pause() with no reason is `'offline'` (README, Methods); the browser is online all along.
  // README: "A pause lives in the worker's memory": here the worker runs throughout.
  it('pause() in a page while the worker runs: the next write does not make it send', { timeout: 120_000 }, () =>
    withBrowser(app(), { latencyMs: 20 }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'pause' }, { name: 'pause', sender: 'service-worker' });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('p', 5));
      await untilDelivered(bed.mock, 5, 'the first 5', 60_000, app().log);
      await attackIn(page, (api) => api.pause());
      await page.waitForFunction(() => (window as any).attack.snapshot().pausedReason === 'offline', undefined, { timeout: 10_000 });
      const ended = slicesIn(app().log).length;
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('q', 5));
      await until(() => slicesIn(app().log).length > ended, "a slice woken by the write to end", 30_000);
      await sleep(1500);
      expect(new Set(bed.mock.deliveredIds()).size, 'records sent although the page paused the outbox').toBe(5);
      expect((await attackIn(page, (api) => api.snapshot())).pausedReason).toBe('offline');
    }));
});

describe('enqueue() in a page, then the page closed at once', () => {
  it('with a slow service-worker registry (3 s): enqueue() resolves only once the worker is woken, so the records go with no page', { timeout: 120_000 }, () =>
    withBrowser(app(), { latencyMs: 20 }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'slow-registry' }, { name: 'slow-registry', sender: 'service-worker' });
      await untilSlicesEnd(app(), 'the slices of the page load to end', 30_000);
      await attackIn(page, (api) => api.slowRegistry(3000));
      const startedAt = Date.now();
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('w', 10));
      const resolvedAfter = Date.now() - startedAt;
      await page.close(); // "the tab may close now"
      await untilDelivered(bed.mock, 10, `the 10 records with no page (enqueue() resolved after ${resolvedAfter} ms)`, 30_000, app().log);
    }));
});
