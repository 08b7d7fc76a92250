// Out of storage quota: the write rejects with a StoreError that says so, and nothing of the
// batch is written. The quota is lowered through CDP (Storage.overrideQuotaForOrigin) in a fresh
// browser context: Chromium applies the override only to an origin whose IndexedDB it has not
// opened yet, which vitest's browser mode (one page for every browser test) cannot promise.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import type { Tabs } from '../../helpers/tabs.js';

async function tabWithQuota(tabs: Tabs, quotaSize: number) {
  const mock = await startMockWorkspace();
  try {
    const context = await tabs.newContext();
    const tab = await tabs.openTab(context, mock);
    // Before the page touches IndexedDB (it does so only when asked to).
    const cdp = await context.newCDPSession(tab.page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: tabs.origin(), quotaSize });
    return { mock, tab };
  } catch (error) {
    await mock.close();
    throw error;
  }
}

export function quotaExceededIsAStoreError(tabs: Tabs): void {
  describe('when the site is out of storage quota', () => {
    it('IndexedDbStore.putMany rejects with a StoreError saying quota, and writes none of the batch', async () => {
      const { mock, tab } = await tabWithQuota(tabs, 64 * 1024);
      try {
        const { error, storedIds } = await tab.putManyLarge('quota-store', 20, 64 * 1024);
        expect(error?.name).toBe('StoreError');
        expect(error?.message).toMatch(/quota/i);
        expect(error?.causeName).toBe('QuotaExceededError');
        expect(storedIds).toEqual([]);
      } finally {
        await mock.close();
      }
    }, 30_000);

    it('enqueue() rejects with that StoreError and the outbox keeps none of the records', async () => {
      const { mock, tab } = await tabWithQuota(tabs, 64 * 1024);
      try {
        await tab.create({ name: 'quota-outbox', autoStart: false });
        const outcome = await tab.enqueueWith(
          Array.from({ length: 20 }, (_, index) => `over-${index}`),
          { error_msg: 'q'.repeat(64 * 1024) },
        );
        expect(outcome).toMatchObject({ error: { name: 'StoreError', message: expect.stringMatching(/quota/i) } });
        expect(await tab.pending()).toEqual([]);
        expect(await tab.indexedDbText()).not.toContain('over-');
      } finally {
        await mock.close();
      }
    }, 30_000);
  });
}
