// 401: a token provider is asked once for a fresh token; if that does not help (or the token is a
// plain string), the outbox pauses with reason `auth` and keeps every record until `resume()`.
import { describe, expect, it } from 'vitest';
import type { TokenProvider } from '../../src/index.js';
import { sends } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { until } from '../helpers/until.js';

const FRESH = 'fresh-token-after-refresh';
const STALE = 'stale-token-from-cache';

/** A provider that hands out `cached` until asked to refresh, then `refreshed` (and caches it). */
function tokenProvider(cached: string, refreshed: string): TokenProvider & { calls: Array<{ forceRefresh: boolean }> } {
  let current = cached;
  const calls: Array<{ forceRefresh: boolean }> = [];
  const provider = (options: { forceRefresh: boolean }) => {
    calls.push({ ...options });
    if (options.forceRefresh) current = refreshed;
    return current;
  };
  return Object.assign(provider, { calls });
}

describe('a 401 answer', () => {
  const { startMock, open } = useOutboxes();

  it('with a string token pauses the outbox (auth), keeps every record pending, and drain resolves with them pending', async () => {
    const mock = await startMock();
    const outbox = open(mock, { auth: { token: 'not-the-right-token' }, batchSize: 10 });
    const events = recordEvents(outbox);
    await outbox.enqueue(makeRecords(25));

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 0, failed: 0, pending: 25 });
    expect(events.paused.map(({ event }) => event.reason)).toEqual(['auth']);
    expect(events.paused[0]?.event.error).toMatchObject({ status: 401 });
    expect(outbox.pausedReason).toBe('auth');
    // One request: a string token cannot be refreshed, so there is nothing to try again with.
    expect(sends(mock)).toHaveLength(1);
    expect(sends(mock)[0]?.status).toBe(401);
    expect(await outbox.pending()).toHaveLength(25);
    expect(await outbox.dead()).toEqual([]);
    expect(events.failed).toEqual([]);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('makes the outbox ask its token provider for a fresh token exactly once, and a working fresh token delivers the batch without pausing', async () => {
    const mock = await startMock({ tokens: [FRESH] });
    const provider = tokenProvider(STALE, FRESH);
    const outbox = open(mock, { auth: { token: provider } });
    const events = recordEvents(outbox);
    await outbox.enqueue(makeRecords(3));

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(provider.calls.filter((call) => call.forceRefresh)).toHaveLength(1);
    // The refresh came right after the first 401, not before it.
    expect(provider.calls.slice(0, 2)).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(sends(mock).map((request) => request.status)).toEqual([401, 200]);
    expect(mock.deliveredIds()).toEqual(['r0', 'r1', 'r2']);
    expect(events.paused).toEqual([]);
    expect(outbox.pausedReason).toBeUndefined();
  });

  it('after a refresh that is refused too, pauses the outbox (auth) with the records kept', async () => {
    const mock = await startMock();
    const provider = tokenProvider(STALE, 'still-not-valid');
    const outbox = open(mock, { auth: { token: provider } });
    const events = recordEvents(outbox);
    await outbox.enqueue(makeRecords(4));

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 0, failed: 0, pending: 4 });
    expect(provider.calls.filter((call) => call.forceRefresh)).toHaveLength(1);
    expect(sends(mock).map((request) => request.status)).toEqual([401, 401]);
    expect(events.paused.map(({ event }) => event.reason)).toEqual(['auth']);
    expect(await outbox.pending()).toHaveLength(4);
    expect(await outbox.dead()).toEqual([]);
  });

  it('pauses until resume(), which emits `resumed` and sends on once the token is fixed', async () => {
    const mock = await startMock();
    let token = 'expired-token';
    const outbox = open(mock, { auth: { token: () => token } });
    const events = recordEvents(outbox);
    outbox.start();
    const paused = nextEvent(outbox, 'paused');
    await outbox.enqueue(makeRecords(5));
    expect(await paused).toMatchObject({ reason: 'auth' });

    // Paused: new records are stored, nothing is sent.
    await outbox.enqueue(makeRecords(2, 'late'));
    await sleep(60);
    const requestsWhilePaused = sends(mock).length;
    expect(mock.deliveredIds()).toEqual([]);
    expect(await outbox.pending()).toHaveLength(7);

    token = mock.token;
    outbox.resume();

    expect(events.resumed.map(({ event }) => event)).toEqual([{ reason: 'auth' }]);
    expect(outbox.pausedReason).toBeUndefined();
    await until(() => events.sent.length === 7, 'the 7 records to be sent after resume()');
    expect(requestsWhilePaused).toBe(2); // the 401 and the one refresh
    expect([...mock.deliveredIds()].sort()).toEqual(['late0', 'late1', 'r0', 'r1', 'r2', 'r3', 'r4']);
    expect(await outbox.pending()).toEqual([]);
  });

  it('resume() followed by drain() sends what the pause kept', async () => {
    const mock = await startMock();
    let token = 'expired-token';
    const outbox = open(mock, { auth: { token: () => token } });
    await outbox.enqueue(makeRecords(3));
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 3 });

    token = mock.token;
    outbox.resume();
    expect(await outbox.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['r0', 'r1', 'r2']);
  });
});
