// The platform bounds an event's life: the worker sends in slices (`sliceMs`). A Retry-After
// longer than a slice is honoured across slices (the gate is in IndexedDB; the worker registers
// its sync tag again and the next slice waits out the rest). Where the browser has no Background
// Sync, what a slice leaves waits for the next wake: a page's load or write. (With no page open,
// Chromium refuses the worker's own registration: the sync event then fails and the browser
// fires it again minutes later, by its own schedule; too slow for a test.)
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { inPage, pageWithWorker, withBrowser, type AppServer } from '../../helpers/service-worker-app.js';
import { until } from '../../helpers/until.js';
import { sendsOf, untilDelivered } from '../sends.js';

export function platformLimits(app: () => AppServer): void {
  describe('slices', () => {
    it('a Retry-After of 4 s, with 1 s slices: the next request comes no sooner, over several sync events (the page, open, never sends)', { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: 20 }, async (bed) => {
        const { mock } = bed;
        const logFrom = app().log.length;
        mock.inject({ status: 503, retryAfter: 4 });
        const page = await pageWithWorker(bed, app(), { name: 'retry-after', sliceMs: 1000 });
        await inPage(page, (api, list) => api.enqueue(list), paddedIds('r', 20));
        // Open (Chromium lets the worker register its sync tag again only while a page is), and a follower.
        await untilDelivered(mock, 20, 'the 20 records after the Retry-After', 60_000, app().log);
        expect(await inPage(page, (api) => api.role())).toBe('follower');
        const [refused, next] = sendsOf(mock);
        expect(refused?.status).toBe(503);
        expect(next!.at - refused!.at).toBeGreaterThanOrEqual(4000);
        const syncs = app().log.slice(logFrom).filter((line) => line.includes('event sync'));
        expect(syncs.length).toBeGreaterThanOrEqual(2);
      }));

    it('without Background Sync, what a slice leaves goes out at the next page load', { timeout: 150_000 }, () =>
      withBrowser(app(), { latencyMs: 250 }, async (bed) => {
        const { mock } = bed;
        const setup = { name: 'no-sync', sliceMs: 1000, batchSize: 10, noSync: true };
        const page = await pageWithWorker(bed, app(), setup);
        await inPage(page, (api, list) => api.enqueue(list), paddedIds('n', 100));
        await page.close();
        let loads = 0;
        for (;;) {
          await untilStill(() => new Set(mock.deliveredIds()).size, 2000);
          const delivered = new Set(mock.deliveredIds()).size;
          if (delivered === 100) break;
          // The worker has stopped with records left: nothing wakes it but a page.
          expect(loads).toBeLessThan(20);
          const next = await pageWithWorker(bed, app(), { ...setup, register: false });
          loads++;
          await until(() => new Set(mock.deliveredIds()).size > delivered, 'a page load waking the worker', 30_000);
          await next.close();
        }
        expect(loads).toBeGreaterThanOrEqual(1);
        expect(mock.deliveredIds().length).toBeLessThanOrEqual(100 + loads * 10);
      }));
  });
}

/** Until `value()` has not changed for `quietMs` (at most a minute). */
async function untilStill(value: () => number, quietMs: number): Promise<void> {
  let last = value();
  let since = Date.now();
  const deadline = Date.now() + 60_000;
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = value();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}
