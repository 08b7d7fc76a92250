// In Chromium: README, "nothing here ever writes a token to IndexedDB, Cache Storage or any other
// place that persists"; "a 401 asks it again with `forceRefresh: true`". Tokens that every
// encoding changes (quotes, slash, plus, backslash, both cases), refreshed after a 401 in both
// credential patterns; then the browser is killed and every file of its profile searched for
// each token in every form (verbatim, UTF-16, base64 and base64url, URL-encoded, JSON-escaped,
// hex, either case), and so are IndexedDB, Cache Storage and what the worker reported.
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../../helpers/files-under.js';
import { paddedIds } from '../../helpers/records.js';
import { expectNoSecretIn, expectNoSecretInLines, TOKEN } from '../../helpers/secret-encodings.js';
import { filesHolding, withBrowser, type WorkerTestBed } from '../../helpers/service-worker-app.js';
import { sendsOf, untilDelivered } from '../../service-worker/sends.js';
import { attackPage, useAttackApp } from './app/bed.js';
import { attackIn } from './app/serve.js';
import type { AttackApp } from './app/serve.js';

const app = useAttackApp();
const STALE = 'St/ale+SECRET="old"\\y-9876543210fedcbaQRS';

/** No form of any of `secrets` in the origin's storage, the worker's reports, or any file of the killed browser's profile. */
async function expectNothingAtRest(bed: WorkerTestBed, attack: AttackApp, page: Awaited<ReturnType<typeof attackPage>>, secrets: string[]): Promise<void> {
  expectNoSecretIn(await attackIn(page, (api) => api.indexedDbText()), secrets, 'IndexedDB');
  expectNoSecretIn(await attackIn(page, (api) => api.cacheStorageText()), secrets, 'Cache Storage');
  expectNoSecretInLines(attack.log.map((line) => line.replace(/^\d+ \S+ /, '')).join('\n'), secrets, "the worker's events");
  await bed.browser.kill();
  for (const secret of secrets) expect(await filesHolding(bed.browser.profile, secret), 'profile files holding the token').toEqual([]);
  for (const [path, text] of await filesUnder(bed.browser.profile)) expectNoSecretIn(text, secrets, `profile file ${path}`);
}

describe('tokens are never at rest', () => {
  it("the worker script's own token call, refreshed after a 401", { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: 20, token: TOKEN }, async (bed) => {
      bed.mock.inject({ status: 401 });
      const page = await attackPage(bed, app(), { name: 'secret-script' }, { name: 'secret-script', sender: 'service-worker' });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('s', 30));
      await untilDelivered(bed.mock, 30, 'the 30 records', 60_000, app().log);
      expect(sendsOf(bed.mock)[0]?.status).toBe(401);
      expect(app().tokenAsks).toContain('true');
      await expectNothingAtRest(bed, app(), page, [TOKEN]);
    }));

  it("from the pages: a stale token refused (401), the page asked with forceRefresh hands the fresh one", { timeout: 180_000 }, () =>
    withBrowser(app(), { latencyMs: 20, token: TOKEN }, async (bed) => {
      const page = await attackPage(bed, app(), { name: 'secret-pages', auth: 'pages' }, { name: 'secret-pages', sender: 'service-worker', tokenMode: 'stale-until-refresh', staleToken: STALE, token: TOKEN });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('p', 30));
      await untilDelivered(bed.mock, 30, 'the 30 records', 60_000, app().log);
      expect(sendsOf(bed.mock)[0]?.status).toBe(401);
      expect(await attackIn(page, (api) => api.asked())).toContain(true);
      expect(app().tokenCalls).toBe(0);
      await expectNothingAtRest(bed, app(), page, [TOKEN, STALE]);
    }));
});
