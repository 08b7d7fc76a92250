// The tab that sends is closed in the middle of a drain while the service fails now and then:
// another tab takes the lead, reloads the queue from IndexedDB and finishes. Nothing is lost,
// and only the batch in flight at the close may reach the service twice.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import { sends } from '../../helpers/mock-requests.js';
import { paddedIds } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { processedCounts, type Tab, type Tabs } from '../../helpers/tabs.js';

const BATCH_SIZE = 10;

async function leaderOf(all: Tab[]): Promise<Tab> {
  const roles = await Promise.all(all.map((tab) => tab.role()));
  const leaders = all.filter((_, index) => roles[index] === 'leader');
  expect(leaders, `roles: ${roles.join(', ')}`).toHaveLength(1);
  return leaders[0] as Tab;
}

export function closingTheSendingTabMidDrain(tabs: Tabs): void {
  describe('closing the sending tab in the middle of a drain, with faults on', () => {
    it('another tab becomes leader and finishes; no record is lost; duplicates come only from the batch in flight at the close', async () => {
      const mock = await startMockWorkspace({
        latencyMs: 15,
        random: {
          seed: 20_240_501,
          faults: [
            { probability: 0.15, fault: { status: 503 } },
            { probability: 0.1, fault: { status: 500 } },
          ],
        },
      });
      try {
        const context = await tabs.newContext();
        const all: Tab[] = [];
        for (let index = 0; index < 3; index++) {
          const tab = await tabs.openTab(context, mock);
          await tab.create({ name: 'takeover', batchSize: BATCH_SIZE, retry: { minDelayMs: 20, maxDelayMs: 100, jitter: 0 } });
          all.push(tab);
          // The first tab takes the lock before the next one asks for it.
          if (index === 0) await tab.page.waitForFunction(() => window.tabApi.role() === 'leader');
        }
        const leader = await leaderOf(all);
        const survivors = all.filter((tab) => tab !== leader);
        const records = paddedIds('takeover-', 200);
        await Promise.all(all.map((tab, index) => tab.enqueue(records.filter((_, position) => position % 3 === index))));

        // Close it mid-drain: some batches delivered, many still queued, a request most likely in flight.
        while (mock.deliveredIds().length < 60) await sleep(5);
        await leader.close();

        const deadline = Date.now() + 20_000;
        while (!(await Promise.all(survivors.map((tab) => tab.role()))).includes('leader') && Date.now() < deadline) await sleep(20);
        const newLeader = await leaderOf(survivors);
        const takeover = await newLeader.eventsOf('coordination');
        // It was told it followed, then that it leads.
        expect(takeover.map((seen) => seen.event)).toEqual([{ role: 'follower' }, { role: 'leader' }]);
        const takeoverAt = (takeover[1] as { at: number }).at;

        // Finishes: every record delivered (answered 200) at least once.
        const expected = [...records].sort();
        while (new Set(mock.deliveredIds()).size < records.length && Date.now() < deadline) await sleep(25);
        expect([...new Set(mock.deliveredIds())].sort()).toEqual(expected);
        await newLeader.page.waitForFunction(() => window.tabApi.snapshot().counts.total === 0);
        expect((await newLeader.pending()).length).toBe(0);

        // Duplicates: only records of the old leader's last request (one request at a time, and
        // every request before the takeover was the old leader's).
        const before = sends(mock).filter((request) => request.at < takeoverAt);
        const inFlight = new Set((before.at(-1)?.records ?? []).map((record) => record.id));
        const twice = [...processedCounts(mock)].filter(([, count]) => count > 1).map(([id]) => id);
        expect(twice.filter((id) => !inFlight.has(id)), `sent twice but not in flight at the close`).toEqual([]);
        expect(twice.length).toBeLessThanOrEqual(BATCH_SIZE);
        // The faults were really on, before and after the takeover.
        expect(before.some((request) => request.fault !== undefined)).toBe(true);
        expect(sends(mock).some((request) => request.at >= takeoverAt && request.fault !== undefined)).toBe(true);
        for (const tab of survivors) expect(tab.pageErrors).toEqual([]);
      } finally {
        await mock.close();
      }
    }, 40_000);
  });
}
