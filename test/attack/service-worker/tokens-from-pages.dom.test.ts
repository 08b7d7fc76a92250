// @vitest-environment happy-dom
// README, `auth: 'from-pages'`: "the worker asks the pages for a token ... and a page answers
// with its own `auth` provider ... with no page to answer within `tokenWaitMs` the worker pauses
// (`paused`, reason `auth`, relayed to the pages), and the next page that wakes it hands a new
// one and sending resumes"; "a 401 asks it again with `forceRefresh: true`". Attacks: a
// `tokenWaitMs` longer than the request timeout, a stale token, a page whose provider hangs.
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEvents } from '../../../src/index.js';
import { collect } from '../../helpers/outbox-events.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { ENDLESS_RETRY, sendsOf, usePages } from './harness/pages.js';
import { settledWithin, WorkerHarness } from './harness/worker-scope.js';

const startMock = useMocks();
const openPage = usePages();
let harness: WorkerHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const reasons = (events: Array<OutboxEvents['paused']>) => events.map((event) => event.reason);

describe("a worker whose token comes from the pages", () => {
  // A wait for a page longer than the request's deadline would never end in a pause: refused.
  it('refuses tokenWaitMs ≥ requestTimeoutMs with a TypeError naming both', () => {
    const h = (harness = new WorkerHarness());
    expect(() => h.start({ endpoint: 'https://workspace.example.com', projectId: '0123456789abcdef0123456789abcdef', auth: 'from-pages', tokenWaitMs: 2000, requestTimeoutMs: 1000 })).toThrow(
      /^tokenWaitMs must be less than requestTimeoutMs \(1000\), got 2000/,
    );
  });

  it.each([[1000, 30_000]])('pauses (auth) when no page answers within tokenWaitMs (tokenWaitMs %i, requestTimeoutMs %i)', { timeout: 30_000 }, async (tokenWaitMs, requestTimeoutMs) => {
    const mock = await startMock();
    const h = (harness = new WorkerHarness());
    const served = h.start({ endpoint: mock.url, projectId: mock.projectId, auth: 'from-pages', tokenWaitMs, requestTimeoutMs, sliceMs: 4000, retry: ENDLESS_RETRY });
    const paused = collect(served, 'paused');
    await served.enqueue(makeRecords(3, 'tw'));
    await settledWithin(h.sync(), 4000 + Math.min(tokenWaitMs, requestTimeoutMs) + 4000, 'the sync slice');
    expect(sendsOf(mock)).toEqual([]);
    expect(reasons(paused), 'no page answered within tokenWaitMs: the worker should pause (auth)').toContain('auth');
  });

  it("a 401 asks the pages again with forceRefresh, and the page's fresh token is used", { timeout: 30_000 }, async () => {
    const mock = await startMock({ token: 'fresh-token-0002' });
    const h = (harness = new WorkerHarness());
    const served = h.start({ endpoint: mock.url, projectId: mock.projectId, auth: 'from-pages', tokenWaitMs: 3000, sliceMs: 5000, retry: ENDLESS_RETRY });
    const paused = collect(served, 'paused');
    const asked: boolean[] = [];
    const page = openPage(h, mock, { auth: { token: ({ forceRefresh }) => (asked.push(forceRefresh), forceRefresh ? 'fresh-token-0002' : 'stale-token-0001') } });
    await page.enqueue(makeRecords(5, 'fr'));
    await until(() => new Set(mock.deliveredIds()).size === 5, 'the 5 records delivered with the fresh token', 20_000);
    expect(asked).toContain(true);
    expect(sendsOf(mock).map((request) => request.status)).toEqual([401, 200]);
    expect(paused).toEqual([]);
  });

  it('a page whose provider hangs holds nothing: paused (auth) relayed to it, then a signed-in page hands a token and the records go', { timeout: 40_000 }, async () => {
    const mock = await startMock();
    const h = (harness = new WorkerHarness());
    h.start({ endpoint: mock.url, projectId: mock.projectId, auth: 'from-pages', tokenWaitMs: 1000, sliceMs: 3000, retry: ENDLESS_RETRY });
    const hanging = openPage(h, mock, { auth: { token: () => new Promise<string>(() => undefined) } });
    const hangingPaused = collect(hanging, 'paused');
    await hanging.enqueue(makeRecords(5, 'hp'));
    await until(() => reasons(hangingPaused).includes('auth'), "the worker's pause (auth) relayed to the page", 15_000);
    expect(sendsOf(mock)).toEqual([]);
    const signedInAt = Date.now();
    const signedIn = openPage(h, mock);
    // Before the hanging provider's own deadline (10 s) could matter.
    await until(() => new Set(mock.deliveredIds()).size === 5, 'the records sent with the signed-in page token', 15_000);
    expect(Date.now() - signedInAt).toBeLessThan(9000);
    expect(signedIn.getSnapshot().pausedReason).toBeUndefined();
  });
});
