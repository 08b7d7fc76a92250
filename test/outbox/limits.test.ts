// Limits end a record's retries: `retry.maxAttempts` counts every send of a record, the first
// included, and dead-letters it (`max-attempts`) after exactly that many; `maxAgeMs` dead-letters
// a record (`expired`) instead of sending it once it is older than that, also one that was already
// too old in the store when the outbox started. Ages are measured on an injected clock, so a busy
// machine cannot make a record older than the test meant.
import { describe, expect, it } from 'vitest';
import { entryKey, MemoryStore, type OutboxEntry } from '../../src/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';

/** A pending entry as a store holds it (what an earlier outbox would have written). */
function pendingEntry(projectId: string, id: string, seq: number, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return { key: entryKey(projectId, id), record: { id }, projectId, seq, enqueuedAt: Date.now(), attempts: 0, nextAttemptAt: 0, state: 'pending', ...fields };
}

const requestsHolding = (id: string, mock: Parameters<typeof sends>[0]) => sends(mock).filter((request) => idsOf(request).includes(id));

describe('retry.maxAttempts', () => {
  const { startMock, open } = useOutboxes();

  it.each([1, 3, 5])('of %i dead-letters a record that keeps failing (max-attempts) after exactly that many requests holding it', async (maxAttempts) => {
    const mock = await startMock({ faults: [{ status: 500, times: 100 }] });
    const outbox = open(mock, { retry: { maxAttempts, minDelayMs: 5, maxDelayMs: 20 } });
    const events = recordEvents(outbox);
    await outbox.enqueue({ id: 'doomed' });

    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });

    expect(requestsHolding('doomed', mock)).toHaveLength(maxAttempts);
    expect(events.retrying.map(({ event }) => event.attempt)).toEqual(Array.from({ length: maxAttempts - 1 }, (_, index) => index + 1));
    expect(events.failed.map(({ event }) => event)).toEqual([
      expect.objectContaining({ record: { id: 'doomed' }, reason: 'max-attempts', attempts: maxAttempts, error: expect.objectContaining({ status: 500 }) }),
    ]);
    const [dead] = await outbox.dead();
    expect(dead).toMatchObject({ deadReason: 'max-attempts', attempts: maxAttempts, lastError: { status: 500 } });
  });

  it('counts each record\'s own sends: in a batch that fails, only the record out of attempts is dead-lettered', async () => {
    // A restarted outbox batches a record with 2 sends behind it together with a fresh one.
    const mock = await startMock({ faults: [{ status: 503 }] });
    const store = new MemoryStore();
    await store.putMany([
      pendingEntry(mock.projectId, 'veteran', 1, { attempts: 2 }),
      pendingEntry(mock.projectId, 'rookie', 2, { attempts: 0 }),
    ]);
    const outbox = open(mock, { store, retry: { maxAttempts: 3 } });
    const events = recordEvents(outbox);

    expect(await outbox.drain()).toEqual({ sent: 1, failed: 1, pending: 0 });

    expect(idsOf(sends(mock)[0]!)).toEqual(['veteran', 'rookie']);
    expect(events.failed.map(({ event }) => [event.record.id, event.reason, event.attempts])).toEqual([['veteran', 'max-attempts', 3]]);
    expect(mock.deliveredIds()).toEqual(['rookie']);
    expect(events.sent.map(({ event }) => [event.record.id, event.attempt])).toEqual([['rookie', 2]]);
  });
});

describe('maxAgeMs', () => {
  const { startMock, open } = useOutboxes();

  it('dead-letters a record that kept failing until it grew too old (expired), and sends it no more', async () => {
    // On the outbox's clock, which moves only to each retry time: sends at 0, 50 and 150 ms; the
    // next one would be at 350 ms, past the 250 ms age.
    const clock = new ManualClock();
    const mock = await startMock({ faults: [{ status: 503, times: 100 }] });
    const outbox = open(mock, { now: clock.now, maxAgeMs: 250, retry: { minDelayMs: 50, maxDelayMs: 1_000, factor: 2 } });
    const events = recordEvents(outbox);
    const sentAt: number[] = [];
    outbox.on('sending', () => void sentAt.push(clock.now()));
    outbox.on('retrying', ({ retryAt }) => clock.advanceTo(retryAt));
    const start = clock.now();
    await outbox.enqueue({ id: 'stale' });

    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });

    expect(sentAt.map((at) => at - start)).toEqual([0, 50, 150]);
    expect(requestsHolding('stale', mock)).toHaveLength(3);
    expect(events.failed.map(({ event }) => event.reason)).toEqual(['expired']);
    expect(events.failed[0]?.event.error).toMatchObject({ status: 503 });
    expect(await outbox.dead()).toEqual([expect.objectContaining({ deadReason: 'expired', record: { id: 'stale' }, attempts: 3 })]);
  });

  it('dead-letters a record that was already older than maxAgeMs in the store when the outbox started, without sending it', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    await store.putMany([
      pendingEntry(mock.projectId, 'ancient', 1, { enqueuedAt: Date.now() - 60_000 }),
      pendingEntry(mock.projectId, 'recent', 2, { enqueuedAt: Date.now() - 1_000 }),
    ]);
    const outbox = open(mock, { store, maxAgeMs: 30_000 });
    const events = recordEvents(outbox);

    expect(await outbox.drain()).toEqual({ sent: 1, failed: 1, pending: 0 });

    expect(requestsHolding('ancient', mock)).toEqual([]);
    expect(mock.deliveredIds()).toEqual(['recent']);
    expect(events.failed.map(({ event }) => ({ id: event.record.id, reason: event.reason, attempts: event.attempts }))).toEqual([
      { id: 'ancient', reason: 'expired', attempts: 0 },
    ]);
    expect((await outbox.dead()).map((dead) => dead.deadReason)).toEqual(['expired']);
  });

  it('dead-letters instead of sending a record that grew too old while the endpoint gate held it back', async () => {
    // The first record's 503 closes the endpoint for 600 ms (the first record, 200 ms old by
    // then, expires at once); the second, enqueued right then, waits behind the gate, and the
    // outbox's clock is moved 200 ms on: it is too old long before the gate opens.
    const clock = new ManualClock();
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 0.6 }] });
    const outbox = open(mock, { now: clock.now, maxAgeMs: 200 });
    const events = recordEvents(outbox);
    outbox.on('failed', ({ record }) => {
      if (record.id === 'first') void outbox.enqueue({ id: 'second' }).then(() => clock.advance(200));
    });
    await outbox.enqueue({ id: 'first' });

    const summary = await outbox.drain();

    expect(requestsHolding('second', mock)).toEqual([]);
    expect(events.failed.map(({ event }) => [event.record.id, event.reason])).toEqual([
      ['first', 'expired'],
      ['second', 'expired'],
    ]);
    expect(summary).toEqual({ sent: 0, failed: 2, pending: 0 });
  });
});
