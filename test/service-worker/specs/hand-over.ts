// Who sends, as pages and the worker come and go: a page of `sender: 'service-worker'` with no
// worker registered sends as the tabs do and says so (`coordination`); once a worker is there,
// that page lets go after its last request and the worker sends the rest. A page of
// `sender: 'tabs'` and a worker share the Web Lock: never both at once. No request overlaps
// another at the mock, and every record arrives once.
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { inPage, pageWithWorker, withBrowser, workerQuery, type AppServer } from '../../helpers/service-worker-app.js';
import { overlapping, sendsOf, untilDelivered } from '../sends.js';

const LATENCY_MS = 60;

export function handOver(app: () => AppServer): void {
  describe('the sending role between pages and the worker', () => {
    it('a page with no worker sends as tabs do and says so; a worker registered later takes over without overlap', { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: LATENCY_MS }, async (bed) => {
        const { mock } = bed;
        const page = await pageWithWorker(bed, app(), { name: 'hand-over', batchSize: 10, register: false });
        await page.waitForFunction(() => (window as unknown as { swApi: { role(): string } }).swApi.role() === 'leader');
        const said = (await inPage(page, (api) => api.events('coordination'))) as Array<{ role: string; reason?: string }>;
        expect(said.at(-1)).toEqual({ role: 'leader', reason: expect.stringContaining('no service worker is registered') });
        const ids = paddedIds('h', 300);
        await inPage(page, (api, list) => api.enqueue(list), ids);
        await untilDelivered(mock, 50, 'the page sending first', 60_000, app().log);
        // The worker arrives; the page's next look (its next write) sees it and lets go.
        await inPage(page, (api, query) => api.register(query), workerQuery(mock, { name: 'hand-over', auth: 'script', batchSize: 10 }));
        await inPage(page, (api) => api.enqueue(['h-late']));
        await page.waitForFunction(() => (window as unknown as { swApi: { role(): string } }).swApi.role() === 'follower');
        const handedAt = Date.now();
        await untilDelivered(mock, 301, 'the worker sending the rest', 90_000, app().log);
        expect(sendsOf(mock).some((request) => request.at > handedAt)).toBe(true);
        expect([...new Set(mock.deliveredIds())].sort()).toEqual([...ids, 'h-late'].sort());
        expect(mock.deliveredIds().length).toBe(301);
        expect(overlapping(mock, LATENCY_MS)).toEqual([]);
      }));

    it("a page of sender 'tabs' and the worker on one outbox never send at the same time", { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: LATENCY_MS }, async (bed) => {
        const { mock } = bed;
        const tabs = await pageWithWorker(bed, app(), { name: 'both', batchSize: 10, sender: 'tabs' });
        const other = await pageWithWorker(bed, app(), { name: 'both', batchSize: 10, register: false });
        const ids = paddedIds('b', 200);
        await Promise.all([inPage(tabs, (api, list) => api.enqueue(list), ids.slice(0, 100)), inPage(other, (api, list) => api.enqueue(list), ids.slice(100))]);
        await tabs.close(); // the worker gets the lock, and the rest
        await untilDelivered(mock, 200, 'all 200', 90_000, app().log);
        expect(mock.deliveredIds().length).toBe(200);
        expect(overlapping(mock, LATENCY_MS)).toEqual([]);
      }));
  });
}
