// In Chromium, SIGKILLed at moments the shared specs do not pick: README, "`await
// outbox.enqueue(records)`: stored, and the worker woken, before it resolves: the tab may close
// now"; "records go out ... with no page open, and also after a browser restart"; "a record is
// deleted from IndexedDB only after its 200, so a browser killed mid-replay loses nothing; the
// batch whose request was under way may be sent again". Every record whose enqueue() resolved is
// delivered after the restart with no page of the app; an id arrives twice only when it was in
// the last request the mock received before a kill (the only one that can be under way).
import { describe, expect, it } from 'vitest';
import type { MockRequest, MockWorkspace } from '../../../src/mock-server.js';
import { duplicates, paddedIds } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { withBrowser, type AppBrowser } from '../../helpers/service-worker-app.js';
import { overlapping, sendsOf, untilDelivered } from '../../service-worker/sends.js';
import { attackPage, useAttackApp } from './app/bed.js';
import { attackIn } from './app/serve.js';

const app = useAttackApp();

/** Kills the browser; returns the request that may have been under way (the last one the mock got). */
async function killNoting(browser: AppBrowser, mock: MockWorkspace): Promise<MockRequest | undefined> {
  await browser.kill();
  return sendsOf(mock).at(-1);
}

/** Every id of `acked` delivered; ids delivered twice only from the `cut` requests. */
function expectNoneLostNoStrayDuplicates(mock: MockWorkspace, acked: readonly string[], cut: ReadonlyArray<MockRequest | undefined>): void {
  const delivered = new Set(mock.deliveredIds());
  expect(acked.filter((id) => !delivered.has(id)), 'acknowledged records never delivered').toEqual([]);
  const cutIds = new Set(cut.flatMap((request) => (request?.records ?? []).map((record) => record.id)));
  expect(duplicates(mock.deliveredIds()).filter((id) => !cutIds.has(id)), 'ids sent twice that were in no request under way at a kill').toEqual([]);
}

describe('SIGKILL at other moments', () => {
  it('during a stream of enqueue() calls from two pages: every acknowledged record is delivered after a restart with no page', { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: 60 }, async (bed) => {
      const a = await attackPage(bed, app(), { name: 'kill-enqueue', batchSize: 5 }, { name: 'kill-enqueue', sender: 'service-worker' });
      const b = await attackPage(bed, app(), undefined, { name: 'kill-enqueue', sender: 'service-worker' });
      const acked: string[] = [];
      const stream = async (page: typeof a, prefix: string) => {
        for (let index = 0; ; index++) {
          const id = `${prefix}${String(index).padStart(3, '0')}`;
          try {
            if ((await attackIn(page, (api, ids) => api.enqueue(ids), [id])) === 1) acked.push(id);
          } catch {
            return; // the browser is gone: this enqueue never resolved
          }
        }
      };
      const streams = [stream(a, 'a'), stream(b, 'b')];
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => acked.length >= 40 && (clearInterval(poll), resolve()), 5);
      });
      const cut = [await killNoting(bed.browser, bed.mock)];
      await Promise.all(streams);
      const count = acked.length;
      await bed.browser.launch(); // no page of the app
      await untilDelivered(bed.mock, count, `the ${count} acknowledged records after the restart`, 120_000, app().log);
      expectNoneLostNoStrayDuplicates(bed.mock, acked, cut);
      expect(overlapping(bed.mock, 60)).toEqual([]);
    }));

  it('right after the first install and one enqueue(): delivered after a restart with no page', { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: 150 }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'kill-install', batchSize: 10 }, { name: 'kill-install', sender: 'service-worker' });
      const ids = paddedIds('i', 60);
      expect(await attackIn(page, (api, list) => api.enqueue(list), ids)).toBe(60);
      const cut = [await killNoting(bed.browser, bed.mock)];
      expect(new Set(bed.mock.deliveredIds()).size, 'the kill came before the replay was over').toBeLessThan(60);
      await bed.browser.launch();
      await untilDelivered(bed.mock, 60, 'the 60 records after the restart', 120_000, app().log);
      expectNoneLostNoStrayDuplicates(bed.mock, ids, cut);
    }));

  it('killed five times in quick succession, at 0.2-1.8 s after each start, mid-replay: nothing lost', { timeout: 240_000 }, () =>
    withBrowser(app(), { latencyMs: 150 }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'kill-rapid', batchSize: 5 }, { name: 'kill-rapid', sender: 'service-worker' });
      const ids = paddedIds('r', 120);
      expect(await attackIn(page, (api, list) => api.enqueue(list), ids)).toBe(120);
      await page.close();
      const cut: Array<MockRequest | undefined> = [];
      // The moments of the kills (not of any check): spread over a start, the worker's wake-up, and its sends.
      for (const afterMs of [400, 200, 1800, 900, 1300]) {
        await sleep(afterMs);
        cut.push(await killNoting(bed.browser, bed.mock));
        await bed.browser.launch();
      }
      await untilDelivered(bed.mock, 120, 'all 120 after the kills', 150_000, app().log);
      expectNoneLostNoStrayDuplicates(bed.mock, ids, cut);
      expect(overlapping(bed.mock, 150)).toEqual([]);
    }));
});
