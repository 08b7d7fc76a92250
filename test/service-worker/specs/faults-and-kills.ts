// The worker alone, against a hostile service and a browser that dies: records enqueued in a page
// that then closes go out by the worker with no trigger of the test (the page's wake and the
// browser's own Background Sync events), under 5xx storms and dropped connections, and across
// SIGKILLs of the whole browser mid-replay, restarted on the same profile with no page of the
// app open: none lost, a record sent twice only when it was in the request under way at a kill.
import { describe, expect, it } from 'vitest';
import type { MockRequest, MockWorkspaceOptions } from '../../../src/mock-server.js';
import { paddedIds } from '../../helpers/records.js';
import { inPage, pageWithWorker, withBrowser, type AppServer, type WorkerTestBed } from '../../helpers/service-worker-app.js';
import { overlapping, sendsOf, untilDelivered } from '../sends.js';

/** Enqueues `ids` in a page of a worker-sending outbox, and closes the page. */
async function enqueueAndLeave(bed: WorkerTestBed, app: AppServer, name: string, ids: string[]): Promise<void> {
  const page = await pageWithWorker(bed, app, { name, batchSize: 20 });
  expect(await inPage(page, (api, list) => api.enqueue(list), ids)).toBe(ids.length);
  await page.close();
}

export function faultsAndKills(app: () => AppServer): void {
  describe('the service worker on its own', () => {
    const storms: Array<[string, MockWorkspaceOptions['random']]> = [
      ['30 % 503 and 10 % 500', { seed: 1201, faults: [{ probability: 0.3, fault: { status: 503 } }, { probability: 0.1, fault: { status: 500 } }] }],
      ['30 % dropped connections', { seed: 1202, faults: [{ probability: 0.3, fault: { drop: true } }] }],
    ];
    for (const [storm, random] of storms) {
      it(`delivers 200 of 200 under ${storm}, with every page closed and no trigger`, { timeout: 150_000 }, () =>
        withBrowser(app(), { latencyMs: 40, random }, async (bed) => {
          const ids = paddedIds('s', 200);
          await enqueueAndLeave(bed, app(), 'storm', ids);
          await untilDelivered(bed.mock, 200, `200 delivered under ${storm}`, 120_000, app().log);
          expect(bed.mock.deliveredIds().sort()).toEqual(ids);
          expect(overlapping(bed.mock, 40)).toEqual([]);
        }));
    }

    // Slow answers: the replay lasts long enough for four kills in the middle of it.
    const slow = { latencyMs: 150, random: { seed: 1203, faults: [{ probability: 0.1, fault: { status: 503 } }] } };
    it('loses nothing when the browser is SIGKILLed mid-replay 4 times and restarted with no page; duplicates only from requests under way at a kill', { timeout: 240_000 }, () =>
      withBrowser(app(), slow, async (bed) => {
        const { mock, browser } = bed;
        const ids = paddedIds('k', 200);
        await enqueueAndLeave(bed, app(), 'kills', ids);
        const cut: MockRequest[] = [];
        for (let kill = 0; kill < 4; kill++) {
          // Mid-replay: after this run of the browser has delivered a batch more.
          await untilDelivered(mock, new Set(mock.deliveredIds()).size + 20, 'a batch delivered before the kill', 60_000, app().log);
          expect(new Set(mock.deliveredIds()).size).toBeLessThan(200);
          await browser.kill();
          // What was under way at the kill: the last request, if the kill came before its answer could be written.
          const last = sendsOf(mock).at(-1);
          if (last) cut.push(last);
          await browser.launch(); // no page of the app: the browser's own sync event wakes the worker
        }
        await untilDelivered(mock, 200, 'all 200 delivered after the kills', 120_000, app().log);
        expect([...new Set(mock.deliveredIds())].sort()).toEqual(ids);
        const cutIds = new Set(cut.flatMap((request) => (request.records ?? []).map((record) => record.id)));
        const delivered = mock.deliveredIds();
        const twice = [...new Set(delivered.filter((id, index) => delivered.indexOf(id) !== index))];
        expect(twice.filter((id) => !cutIds.has(id))).toEqual([]);
        expect(overlapping(mock, 150)).toEqual([]);
      }));
  });
}
