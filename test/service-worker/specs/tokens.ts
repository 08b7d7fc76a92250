// Credentials of a worker that sends with no page: never at rest. With `auth: 'from-pages'` the
// worker asks the pages; with no page that can answer it pauses (`auth`, relayed to the pages)
// and sends nothing; a page that can answer comes, hands its token into the worker's memory, and
// the records go. After runs of both patterns (the token from the worker script's own call, and
// from a page), no file of the browser's profile holds the token, nor does IndexedDB or Cache
// Storage, in any common encoding.
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { filesHolding, inPage, pageWithWorker, withBrowser, type AppServer } from '../../helpers/service-worker-app.js';
import { untilDelivered } from '../sends.js';

export function tokens(app: () => AppServer): void {
  describe("the worker's credentials", () => {
    it('from pages: pauses with no page to hand a token, sends once one does, and no token is ever at rest', { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: 20 }, async (bed) => {
        const { mock, browser } = bed;
        const tokenCallsBefore = app().tokenCalls;
        const signedOut = await pageWithWorker(bed, app(), { name: 'tokens', auth: 'pages', tokenless: true });
        await inPage(signedOut, (api, list) => api.enqueue(list), paddedIds('t', 40));
        // No page can answer: the worker pauses (the pages hear it) and sends nothing.
        await signedOut.waitForFunction(() => (window as unknown as { swApi: { events(n: string): Array<{ reason?: string }> } }).swApi.events('paused').some((e) => e.reason === 'auth'), undefined, { timeout: 30_000 });
        expect(mock.requests.filter((request) => request.api === 'send')).toEqual([]);
        // A signed-in page comes: it hands its token, and the worker sends.
        const signedIn = await pageWithWorker(bed, app(), { name: 'tokens', auth: 'pages', register: false });
        await untilDelivered(mock, 40, 'the 40 records sent with the handed token', 60_000, app().log);
        expect(app().tokenCalls - tokenCallsBefore).toBe(0);
        // Nothing of the token in the origin's storage, nor anywhere in the profile.
        expect(await inPage(signedIn, (api) => api.indexedDbText())).not.toContain(mock.token);
        expect(await inPage(signedIn, (api) => api.cacheStorageText())).not.toContain(mock.token);
        await browser.kill();
        expect(await filesHolding(browser.profile, mock.token)).toEqual([]);
      }));

    it('from the worker script (a same-origin call): never at rest either', { timeout: 120_000 }, () =>
      withBrowser(app(), { latencyMs: 20 }, async (bed) => {
        const { mock, browser } = bed;
        const tokenCallsBefore = app().tokenCalls;
        const page = await pageWithWorker(bed, app(), { name: 'script-token' });
        await inPage(page, (api, list) => api.enqueue(list), paddedIds('u', 40));
        await untilDelivered(mock, 40, 'the 40 records sent', 60_000, app().log);
        expect(app().tokenCalls - tokenCallsBefore).toBeGreaterThan(0);
        await browser.kill();
        expect(await filesHolding(browser.profile, mock.token)).toEqual([]);
      }));
  });
}
