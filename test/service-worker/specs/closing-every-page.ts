// 200 records enqueued in a page whose service worker sends, and every page closed at once: the
// worker delivers all of them with no page open, each once; the page never sent (its role said
// so) and never held the lock with the worker (no two requests overlap at the mock).
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { inPage, pageWithWorker, withBrowser, type AppServer } from '../../helpers/service-worker-app.js';
import { overlapping, sendsOf, untilDelivered } from '../sends.js';

export function closingEveryPage(app: () => AppServer): void {
  describe('records enqueued in a page, then every page closed', () => {
    it('are all delivered by the service worker, once each, and no request overlaps another', { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: 100 }, async (bed) => {
        const { mock } = bed;
        const page = await pageWithWorker(bed, app(), { name: 'close-all', batchSize: 20 });
        expect(await inPage(page, (api, list) => api.enqueue(list), paddedIds('c', 200))).toBe(200);
        const role = await inPage(page, (api) => api.role());
        await page.close();
        const closedAt = Date.now();
        await untilDelivered(mock, 200, 'the worker delivering 200 records', 90_000, app().log);
        expect(role).toBe('follower');
        expect(mock.deliveredIds().length).toBe(200);
        expect(sendsOf(mock).some((request) => request.at > closedAt)).toBe(true);
        expect(overlapping(mock, 100)).toEqual([]);
      }));
  });
}
