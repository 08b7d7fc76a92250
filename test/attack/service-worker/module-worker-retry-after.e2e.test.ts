// In Chromium: README, "`Retry-After` and the endpoint gate are in IndexedDB: every slice, like
// every tab, waits them out", and the worker script is "bundled". A bundler with code splitting
// (esbuild `splitting`, rollup's default for `import()`) keeps the outbox's lazily loaded
// HTTP-date reader as a chunk loaded by `import()`, which a service worker may not call (the HTML
// spec disallows it on ServiceWorkerGlobalScope). A Retry-After given as an HTTP-date must still
// be waited out, in a classic worker and in a module worker alike; AK/SK (whose signer is loaded
// the same way) must still sign.
import { describe, expect, it } from 'vitest';
import { paddedIds } from '../../helpers/records.js';
import { withBrowser } from '../../helpers/service-worker-app.js';
import { sendsOf, untilDelivered } from '../../service-worker/sends.js';
import { attackPage, useAttackApp } from './app/bed.js';
import { attackIn } from './app/serve.js';

const app = useAttackApp();

describe('a Retry-After HTTP-date in the worker', () => {
  it('(the module build is split: the lazily loaded parts are chunks of their own)', () => {
    expect(app().moduleFiles).toBeGreaterThan(1);
  });

  it.each([
    ['a classic worker script', false],
    ['a module worker script built with code splitting', true],
  ])('%s: no request before the date', { timeout: 120_000 }, (_what, module) =>
    withBrowser(app(), { latencyMs: 20 }, async (bed) => {
      const notBefore = Math.ceil((Date.now() + 6000) / 1000) * 1000;
      bed.mock.inject({ status: 503, retryAfter: new Date(notBefore).toUTCString() });
      const name = module ? 'ra-module' : 'ra-classic';
      const page = await attackPage(bed, app(), { name, module, sliceMs: 20_000 }, { name, sender: 'service-worker' });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('d', 5));
      await untilDelivered(bed.mock, 5, 'the 5 records after the Retry-After', 60_000, app().log);
      const [refused, next] = sendsOf(bed.mock);
      expect(refused!.status).toBe(503);
      expect(next!.at, `the second request came ${notBefore - next!.at} ms before the Retry-After date`).toBeGreaterThanOrEqual(notBefore);
    }),
  );
});

describe('AK/SK in the worker ("AK/SK works the same way, if the worker may hold them")', () => {
  const credential = { ak: 'AKTESTACCESSKEY00001', sk: 'sk-test-signing-key-0001' };
  it.each([
    ['a classic worker script', false],
    ['a module worker script built with code splitting', true],
  ])('%s: signed requests, the records delivered', { timeout: 120_000 }, (_what, module) =>
    withBrowser(app(), { latencyMs: 20, credentials: [credential] }, async (bed) => {
      const name = module ? 'aksk-module' : 'aksk-classic';
      const page = await attackPage(bed, app(), { name, module, auth: 'aksk', ...credential }, { name, sender: 'service-worker' });
      await attackIn(page, (api, ids) => api.enqueue(ids), paddedIds('k', 5));
      await untilDelivered(bed.mock, 5, 'the 5 records, signed with AK/SK', 30_000, app().log);
    }),
  );
});
