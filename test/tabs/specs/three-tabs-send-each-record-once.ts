// Three tabs of one origin share one outbox: exactly one of them sends, the service gets every
// record once, and every tab sees every outcome.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import { paddedIds } from '../../helpers/records.js';
import type { Tabs } from '../../helpers/tabs.js';

export function threeTabsSendEachRecordOnce(tabs: Tabs): void {
  describe('three tabs of one origin', () => {
    it('each enqueue 100 records: the mock receives each of the 300 exactly once, and every tab observes 300 sent events', async () => {
      const mock = await startMockWorkspace({ latencyMs: 5 });
      try {
        const context = await tabs.newContext();
        const all = await Promise.all([0, 1, 2].map(() => tabs.openTab(context, mock)));
        for (const tab of all) await tab.create({ name: 'three-tabs', batchSize: 20 });
        const perTab = all.map((_, index) => paddedIds(`tab${index}-`, 100));

        // One enqueue() per record, all tabs at once, while the leader sends: as a console's
        // users would click, and every follower's write makes the leader look at the store again.
        await Promise.all(all.map((tab, index) => tab.enqueueOneByOne(perTab[index] as string[])));
        await Promise.all(all.map((tab) => tab.waitForCount('sent', 300)));
        await Promise.all(all.map((tab) => tab.page.waitForFunction(() => window.tabApi.snapshot().counts.total === 0)));

        const expected = perTab.flat().sort();
        const delivered = mock.deliveredIds();
        expect(delivered.filter((id, index) => delivered.indexOf(id) !== index), 'ids the mock received more than once').toEqual([]);
        expect(delivered.sort()).toEqual(expected);
        for (const tab of all) {
          const sent = await tab.eventsOf('sent');
          expect(sent.map((seen) => seen.event.record.id).sort()).toEqual(expected);
        }
        expect((await Promise.all(all.map((tab) => tab.role()))).sort()).toEqual(['follower', 'follower', 'leader']);
        for (const tab of all) expect(tab.pageErrors).toEqual([]);
      } finally {
        await mock.close();
      }
    }, 30_000);
  });
}
