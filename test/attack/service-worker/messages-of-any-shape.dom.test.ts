// @vitest-environment happy-dom
// The worker hears every message of the app (README: its names are prefixed; "a page answers
// ... to the worker alone"). Messages of the wrong shape, of another outbox, or with a token that
// is not a string start nothing and hand nothing; a token that is no usable header value (CR/LF,
// empty, huge) is never sent and never quoted: the worker pauses (auth) or its slice still ends.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServedOutbox } from '../../../src/service-worker.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { expectNoSecretIn, stringsOf } from '../../helpers/secret-encodings.js';
import { until } from '../../helpers/until.js';
import { ENDLESS_RETRY, sendsOf } from './harness/pages.js';
import { settledWithin, WorkerHarness } from './harness/worker-scope.js';

const startMock = useMocks();
let harness: WorkerHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const SLICE_MS = 1500;
const LIMIT_MS = SLICE_MS + 3000 + 4000;

/** A from-pages worker with no page, 3 records waiting, and every event it emits kept. */
async function fromPagesWorker() {
  const mock = await startMock();
  const h = (harness = new WorkerHarness());
  const served: ServedOutbox = h.start({ endpoint: mock.url, projectId: mock.projectId, auth: 'from-pages', tokenWaitMs: 1000, requestTimeoutMs: 3000, sliceMs: SLICE_MS, retry: ENDLESS_RETRY });
  const events: unknown[] = [];
  for (const name of ['paused', 'error', 'retrying', 'failed', 'sending', 'sent', 'drained'] as const) served.on(name, (event) => void events.push({ name, event }));
  await served.enqueue(makeRecords(3, 'msg'));
  return { mock, h, served, events };
}

describe('messages the worker hears', () => {
  it('of the wrong shape, another outbox, or with a non-string token: no slice, no token taken', { timeout: 30_000 }, async () => {
    const { mock, h, served } = await fromPagesWorker();
    const other = `${h.name}-other`;
    const odd: unknown[] = [
      null,
      'wks-mail-outbox:wake',
      42,
      [h.name],
      { kind: 'wks-mail-outbox:wake' },
      { kind: 'wks-mail-outbox:wake', name: other },
      { kind: 'wks-mail-outbox:wake', name: { toString: () => h.name } },
      { kind: 'wks-mail-outbox:token', name: h.name, token: 42 },
      { kind: 'wks-mail-outbox:token', name: h.name, token: null },
      { kind: 'wks-mail-outbox:token', name: h.name, token: [mock.token] },
      { kind: 'wks-mail-outbox:token', name: h.name, token: { toString: () => mock.token } },
      { kind: 'wks-mail-outbox:token', name: other, token: mock.token },
      { kind: 'WKS-MAIL-OUTBOX:TOKEN', name: h.name, token: mock.token },
    ];
    for (const data of odd) expect(await h.fire('message', { data }).settled, JSON.stringify(data) ?? String(data)).toBe('no waitUntil');
    // No token was taken: a slice asks the pages, none answers, the worker pauses and sends nothing.
    await settledWithin(h.sync(), LIMIT_MS, 'the sync slice');
    expect(served.pausedReason).toBe('auth');
    expect(sendsOf(mock)).toEqual([]);
  });

  it.each([
    ['a token with CR/LF (header injection)', 'SECRET-crlf-0001\r\nX-Evil: 1'],
    ['an empty token', ''],
    ['a token with a non-Latin-1 character', 'SECRET-\u20ac-0002'],
  ])('%s is never sent and never quoted: the worker pauses (auth)', { timeout: 30_000 }, async (_what, token) => {
    const { mock, h, served, events } = await fromPagesWorker();
    const handed = h.fire('message', { data: { kind: 'wks-mail-outbox:token', name: h.name, token } });
    await settledWithin(handed, LIMIT_MS, 'the slice after the token');
    await until(() => served.pausedReason === 'auth', 'the worker to pause (auth)', LIMIT_MS);
    expect(sendsOf(mock)).toEqual([]);
    if (token) expectNoSecretIn(stringsOf(events), [token], "the worker's events");
  });

  it('a 64 KiB token: the slice still ends in time, and no event quotes it', { timeout: 30_000 }, async () => {
    const { h, events } = await fromPagesWorker();
    const token = `SECRET-huge-${'x'.repeat(64 * 1024)}`;
    const handed = h.fire('message', { data: { kind: 'wks-mail-outbox:token', name: h.name, token } });
    await settledWithin(handed, LIMIT_MS, 'the slice after the huge token');
    expect(stringsOf(events)).not.toContain('SECRET-huge-');
  });
});
