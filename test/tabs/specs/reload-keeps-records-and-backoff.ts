// A reload in the middle of the queue keeps every record and its backoff state: attempts and
// next-attempt times survive, and so does the endpoint's gate, so a service that said
// "Retry-After: 30" gets nothing from the reloaded tab before then.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import type { OutboxEntry } from '../../../src/index.js';
import { sends } from '../../helpers/mock-requests.js';
import { paddedIds } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { processedCounts, type Tabs } from '../../helpers/tabs.js';

const bySeq = (entries: OutboxEntry[]) => [...entries].sort((a, b) => a.seq - b.seq);

export function reloadKeepsRecordsAndBackoff(tabs: Tabs): void {
  describe('reloading a tab mid-queue', () => {
    it('keeps every record with its attempts and next attempt time; after a 503 with Retry-After: 30 the reloaded tab sends nothing before the gate', async () => {
      const mock = await startMockWorkspace({ faults: [{ status: 503, retryAfter: 30 }] });
      try {
        const context = await tabs.newContext();
        const tab = await tabs.openTab(context, mock);
        const options = { name: 'reload-backoff', batchSize: 5, retry: { minDelayMs: 20, maxDelayMs: 100, jitter: 0 } };
        await tab.create(options);
        const records = paddedIds('reload-', 20);
        await tab.enqueue(records);
        await tab.waitForCount('retrying', 5);
        const [retrying] = await tab.eventsOf('retrying');
        const before = bySeq(await tab.pending());
        expect(before).toHaveLength(20);
        expect(before.filter((entry) => entry.attempts === 1).map((entry) => entry.record.id)).toEqual(records.slice(0, 5));
        expect(before.slice(0, 5).every((entry) => entry.nextAttemptAt === retrying?.event.retryAt)).toBe(true);
        expect(retrying?.event.retryAt).toBeGreaterThanOrEqual(Date.now() + 25_000);

        await tab.reload();
        await tab.create(options);
        const after = bySeq(await tab.pending());

        expect(after).toEqual(before);
        const snapshot = await tab.snapshot();
        expect(snapshot.counts).toMatchObject({ retrying: 5, pending: 15, total: 20 });
        // Fifteen records are due now: only the persisted gate keeps them back.
        await sleep(1_500);
        expect(sends(mock)).toHaveLength(1);
        expect(await tab.count('sending')).toBe(0);

        // "Resend now" lifts the gate; everything is there to be sent.
        expect(await tab.flush()).toEqual({ sent: 20, failed: 0, pending: 0 });
        expect(mock.deliveredIds().sort()).toEqual(records);
        expect(tab.pageErrors).toEqual([]);
      } finally {
        await mock.close();
      }
    }, 30_000);

    it('in the middle of a drain loses no record; duplicates come only from the request in flight at the reload', async () => {
      const mock = await startMockWorkspace({ latencyMs: 25 });
      try {
        const context = await tabs.newContext();
        const tab = await tabs.openTab(context, mock);
        const options = { name: 'reload-mid-drain', batchSize: 10 };
        await tab.create(options);
        const records = paddedIds('mid-drain-', 150);
        await tab.enqueue(records);
        while (mock.deliveredIds().length < 40) await sleep(5);

        await tab.reload();
        const reloadedAt = Date.now();
        await tab.create(options);
        const deadline = Date.now() + 15_000;
        while (new Set(mock.deliveredIds()).size < records.length && Date.now() < deadline) await sleep(25);

        expect([...new Set(mock.deliveredIds())].sort()).toEqual(records);
        await tab.page.waitForFunction(() => window.tabApi.snapshot().counts.total === 0);
        const firstAfterReload = sends(mock).findIndex((request) => request.at >= reloadedAt);
        const lastBefore = sends(mock)[firstAfterReload - 1];
        const inFlight = new Set((lastBefore?.records ?? []).map((record) => record.id));
        const twice = [...processedCounts(mock)].filter(([, count]) => count > 1).map(([id]) => id);
        expect(twice.filter((id) => !inFlight.has(id)), 'sent twice but not in flight at the reload').toEqual([]);
        expect(twice.length).toBeLessThanOrEqual(10);
      } finally {
        await mock.close();
      }
    }, 30_000);
  });
}
