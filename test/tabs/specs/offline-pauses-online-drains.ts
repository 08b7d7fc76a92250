// The browser going offline (playwright's context.setOffline, which Chromium reports through
// navigator.onLine and the offline/online events) pauses the outbox in every tab; nothing is sent
// meanwhile, and coming back online resumes and drains.
import { describe, expect, it } from 'vitest';
import { startMockWorkspace } from '../../../src/mock-server.js';
import { sends } from '../../helpers/mock-requests.js';
import { paddedIds } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import type { Tabs } from '../../helpers/tabs.js';

export function offlinePausesOnlineDrains(tabs: Tabs): void {
  describe('context.setOffline', () => {
    it('true pauses (paused, reason offline) and nothing is sent while offline; false resumes and drains', async () => {
      const mock = await startMockWorkspace();
      try {
        const context = await tabs.newContext();
        const leader = await tabs.openTab(context, mock);
        await leader.create({ name: 'offline', batchSize: 10 });
        await leader.page.waitForFunction(() => window.tabApi.role() === 'leader');
        const follower = await tabs.openTab(context, mock);
        await follower.create({ name: 'offline', batchSize: 10 });
        expect(await follower.role()).toBe('follower');

        await context.setOffline(true);
        for (const tab of [leader, follower]) {
          await tab.waitForCount('paused', 1);
          expect((await tab.eventsOf('paused')).map((seen) => seen.event)).toEqual([{ reason: 'offline' }]);
          expect((await tab.snapshot()).pausedReason).toBe('offline');
        }

        const records = paddedIds('offline-', 30);
        await follower.enqueue(records.slice(0, 15));
        await leader.enqueue(records.slice(15));
        await sleep(500);
        expect(sends(mock)).toEqual([]);
        for (const tab of [leader, follower]) {
          expect(await tab.count('sending')).toBe(0);
          expect(await tab.count('retrying')).toBe(0);
        }
        expect((await leader.pending()).every((entry) => entry.attempts === 0)).toBe(true);

        await context.setOffline(false);
        for (const tab of [leader, follower]) {
          await tab.waitForCount('sent', 30);
          expect((await tab.eventsOf('resumed')).map((seen) => seen.event)).toEqual([{ reason: 'offline' }]);
        }
        expect(mock.deliveredIds().sort()).toEqual(records);
        expect((await leader.snapshot()).pausedReason).toBeUndefined();
      } finally {
        await mock.close();
      }
    }, 30_000);
  });
}
