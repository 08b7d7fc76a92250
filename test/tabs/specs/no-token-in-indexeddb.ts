// After tabs have sent, retried, dead-lettered and been refused, no token appears anywhere in
// the origin's IndexedDB: every database, key and value is read back in the page and searched.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import { paddedIds } from '../../helpers/records.js';
import type { Tabs } from '../../helpers/tabs.js';

export function noTokenInIndexedDb(tabs: Tabs): void {
  describe('secrets and IndexedDB', () => {
    it('no token appears anywhere in IndexedDB after sends, retries, a rejected record and a refused token', async () => {
      const mock = await startMockWorkspace({ poisonIds: ['poison-record'], faults: [{ status: 503, retryAfter: 0 }, { status: 500 }] });
      try {
        const context = await tabs.newContext();
        const sender = await tabs.openTab(context, mock);
        await sender.create({ name: 'secrets', batchSize: 4, retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 0 } });
        await sender.page.waitForFunction(() => window.tabApi.role() === 'leader');
        const other = await tabs.openTab(context, mock);
        await other.create({ name: 'secrets', batchSize: 4 });

        await sender.enqueue([...paddedIds('secret-a-', 6), 'poison-record']);
        await other.enqueue(paddedIds('secret-b-', 6));
        await sender.waitForCount('sent', 12);
        await sender.waitForCount('failed', 1);
        expect(await sender.count('retrying')).toBeGreaterThan(0);

        // A tab of another outbox whose token the service refuses: its records wait, with the 401 kept.
        const refused = await tabs.openTab(context, { ...mock, token: `refused-${mock.token}` });
        await refused.create({ name: 'refused-token' });
        await refused.enqueue(['kept-after-401']);
        await refused.waitForCount('paused', 1);

        const stored = await other.indexedDbText();
        expect(stored).toContain('poison-record');
        expect(stored).toContain('kept-after-401');
        expect(stored).toContain('"status":401');
        expect(stored).not.toContain(mock.token);
      } finally {
        await mock.close();
      }
    }, 30_000);
  });
}
