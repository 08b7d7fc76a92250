// In Chromium: README, "the worker takes the same Web Lock as the tabs, so exactly one of
// {worker, tabs} sends at any moment"; pages of `sender: 'service-worker'` never ask for it while
// a worker is registered, send as tabs do without one, and a sending page "lets go of the lock
// after its last request" when a worker appears. The mock answers each request after `latencyMs`
// and every sender sends one request at a time: two sends closer than that overlapped. No crash
// here, so every record arrives exactly once.
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { withBrowser } from '../../helpers/service-worker-app.js';
import { overlapping, untilDelivered } from '../../service-worker/sends.js';
import { attackPage, stopWorkers, untilSlicesEnd, useAttackApp } from './app/bed.js';
import { attackIn, attackWorkerQuery } from './app/serve.js';

const app = useAttackApp();
const LATENCY_MS = 80;

describe('one sender at a time', () => {
  it("two worker-sending pages, a 'tabs' page and the worker, writing at once, the pages closed one by one", { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: LATENCY_MS }, async (bed) => {
      const worker = { name: 'mixed', batchSize: 10 };
      const a = await attackPage(bed, app(), worker, { name: 'mixed', sender: 'service-worker', batchSize: 10 });
      const b = await attackPage(bed, app(), undefined, { name: 'mixed', sender: 'service-worker', batchSize: 10 });
      const tabs = await attackPage(bed, app(), undefined, { name: 'mixed', sender: 'tabs', batchSize: 10 });
      const pages = [a, b, tabs];
      const writes = pages.flatMap((page, p) => [0, 1, 2].map((call) => attackIn(page, (api, ids) => api.enqueue(ids), paddedIds(`m${p}${call}-`, 20))));
      await Promise.all(writes);
      await tabs.close();
      await untilDelivered(bed.mock, 90, 'half of them', 90_000, app().log);
      await a.close();
      await untilDelivered(bed.mock, 180, 'all 180', 120_000, app().log);
      expect(bed.mock.deliveredIds()).toHaveLength(180);
      expect(overlapping(bed.mock, LATENCY_MS)).toEqual([]);
      expect((await attackIn(b, (api) => api.snapshot())).role).toBe('follower');
    }));

  it('the worker unregistered while it sends: the page sends as tabs do once the worker has let go, never at the same time', { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: LATENCY_MS }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'unregister', batchSize: 10 }, { name: 'unregister', sender: 'service-worker', batchSize: 10 });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('u', 100));
      await untilDelivered(bed.mock, 20, 'the worker sending', 60_000, app().log);
      expect(await attackIn(page, (api) => api.unregister())).toBe(true);
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('w', 50));
      await untilSlicesEnd(app(), "the worker's slices to end", 90_000);
      await stopWorkers(bed.context, page); // idle: the browser stops it
      await page.waitForFunction(() => (window as any).attack.snapshot().role === 'leader', undefined, { timeout: 60_000 });
      const said = (await attackIn(page, (api) => api.events('coordination'))) as Array<{ role: string; reason?: string }>;
      expect(said.at(-1)).toEqual({ role: 'leader', reason: expect.stringContaining('no service worker is registered') });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('z', 30));
      await untilDelivered(bed.mock, 180, 'all 180', 120_000, app().log);
      expect(bed.mock.deliveredIds()).toHaveLength(180);
      expect(overlapping(bed.mock, LATENCY_MS)).toEqual([]);
    }));

  it('a page sending as tabs do when the worker is registered from another page: it lets go, the worker goes on, never both', { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: LATENCY_MS }, async (bed) => {
      const first = await attackPage(bed, app(), undefined, { name: 'race', sender: 'service-worker', batchSize: 10 });
      await first.waitForFunction(() => (window as any).attack.snapshot().role === 'leader', undefined, { timeout: 30_000 });
      const second = await attackPage(bed, app(), undefined, { name: 'race', sender: 'service-worker', batchSize: 10 });
      await attackIn(first, (api, ids) => api.enqueue(ids), paddedIds('s', 60));
      // The registration races the writes of both pages.
      await Promise.all([
        attackIn(second, (api, query) => api.register(query, { wait: false }), attackWorkerQuery(bed.mock, { name: 'race', batchSize: 10 })),
        ...[0, 1, 2].map((call) => attackIn(second, (api, ids) => api.enqueue(ids), paddedIds(`t${call}-`, 20))),
        attackIn(first, (api, ids) => api.enqueue(ids), paddedIds('v', 20)),
      ]);
      await attackIn(first, (api, ids) => api.enqueue(ids), paddedIds('y', 20)); // its next look sees the worker
      await first.waitForFunction(() => (window as any).attack.snapshot().role === 'follower', undefined, { timeout: 60_000 });
      await untilDelivered(bed.mock, 160, 'all 160', 120_000, app().log);
      expect(bed.mock.deliveredIds()).toHaveLength(160);
      expect(overlapping(bed.mock, LATENCY_MS)).toEqual([]);
      expect(app().log.some((line) => / sending /.test(line)), 'the worker sent some').toBe(true);
    }));

  it('no page of a worker-sending outbox asks for the Web Lock while the worker is registered', { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: 30 }, async (bed) => {
      const a = await attackPage(bed, app(), { name: 'no-ask', batchSize: 5 }, { name: 'no-ask', sender: 'service-worker', batchSize: 5 });
      const b = await attackPage(bed, app(), undefined, { name: 'no-ask', sender: 'service-worker', batchSize: 5 });
      const holders = new Set<string>();
      let waiting = 0;
      const writes = [a, b].map(async (page, p) => {
        for (let call = 0; call < 10; call++) await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds(`n${p}${call}-`, 10));
      });
      let writing = true;
      const watch = (async () => {
        while (writing) {
          const { held, pending } = await attackIn(a, (api) => api.lockClients('no-ask'));
          for (const client of held) holders.add(client);
          waiting += pending.length;
        }
      })();
      await Promise.all(writes);
      await untilDelivered(bed.mock, 200, 'all 200', 120_000, app().log);
      writing = false;
      await watch;
      expect(holders.size, 'clients that held the lock (the worker only)').toBe(1);
      expect(waiting, 'lock requests seen waiting').toBe(0);
      expect(overlapping(bed.mock, 30)).toEqual([]);
    }));
});
