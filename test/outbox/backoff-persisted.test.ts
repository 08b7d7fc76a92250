// Backoff survives a restart: a second outbox over the same store honours the next-attempt
// times and the endpoint gate that the first one persisted (no request before them, of any
// batch), and goes on counting attempts where the first one stopped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { sends } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

/**
 * Lets real I/O (the HTTP exchange on 127.0.0.1) and due fake timers run until `condition()`
 * holds. `setImmediate` and `performance` are not faked, so this makes progress under fake timers.
 */
async function settle(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(0);
  }
}

/** Real I/O turns, to show that nothing happens meanwhile. */
async function idleTurns(turns = 50): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('a restart during a backoff', () => {
  const { startMock, open } = useOutboxes();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not send anything before the persisted retry time of a 10-minute Retry-After, and carries the attempt count over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // The mock reads the (fake) clock, so its `at` and the outbox's times are comparable.
    const mock = await startMock({ clock: () => Date.now(), faults: [{ status: 503, retryAfter: 600 }] });
    const store = new MemoryStore();

    const first = open(mock, { store, language: 'en-us' });
    const firstEvents = recordEvents(first);
    await first.enqueue(makeRecords(2, 'tried'));
    // Another batch (another language), never sent by the first outbox: only the endpoint gate holds it.
    await first.enqueue(makeRecords(2, 'untried'), { language: 'fr-fr' });
    const firstDrain = first.drain();
    await settle(() => firstEvents.retrying.length === 2, 'the 503 to be answered');
    const { retryAt, delayMs } = firstEvents.retrying[0]!.event;
    expect(delayMs).toBe(600_000);
    expect(sends(mock)).toHaveLength(1);
    expect(retryAt).toBe(sends(mock)[0]!.at + 600_000);

    await first.close(); // during the backoff
    expect(await firstDrain).toEqual({ sent: 0, failed: 0, pending: 4 });

    // What survives: attempts and next-attempt times of the records, and the endpoint's gate.
    const persisted = await store.load();
    const byId = Object.fromEntries(persisted.entries.map((entry) => [entry.record.id, entry]));
    expect(byId['tried0']).toMatchObject({ attempts: 1, nextAttemptAt: retryAt, state: 'pending' });
    expect(byId['tried1']).toMatchObject({ attempts: 1, nextAttemptAt: retryAt, state: 'pending' });
    expect(byId['untried0']).toMatchObject({ attempts: 0, state: 'pending' });
    expect(Object.values(persisted.meta)).toContain(retryAt);

    const second = open(mock, { store, language: 'en-us' });
    const secondEvents = recordEvents(second);
    let summary: unknown;
    void second.drain().then((result) => (summary = result));

    await idleTurns();
    await vi.advanceTimersByTimeAsync(599_000);
    await idleTurns();
    expect(sends(mock)).toHaveLength(1); // nine minutes, 59 seconds later: still nothing

    await vi.advanceTimersByTimeAsync(2_000);
    await settle(() => summary !== undefined, 'the second outbox to drain');
    expect(summary).toEqual({ sent: 4, failed: 0, pending: 0 });

    const later = sends(mock).slice(1);
    expect(later.length).toBeGreaterThanOrEqual(2);
    for (const request of later) expect(request.at).toBeGreaterThanOrEqual(retryAt);
    expect([...mock.deliveredIds()].sort()).toEqual(['tried0', 'tried1', 'untried0', 'untried1']);

    const attemptOf = Object.fromEntries(secondEvents.sent.map(({ event }) => [event.record.id, event.attempt]));
    expect(attemptOf).toEqual({ tried0: 2, tried1: 2, untried0: 1, untried1: 1 });
  });

  it('after a plain exponential backoff (no Retry-After), the restarted outbox waits for the persisted next attempt too', async () => {
    const mock = await startMock({ faults: [{ status: 500 }] });
    const store = new MemoryStore();
    const first = open(mock, { store, retry: { minDelayMs: 300, maxDelayMs: 1_000 } });
    const retrying = nextEvent(first, 'retrying');
    await first.enqueue({ id: 'a' });
    void first.drain();
    const { retryAt, delayMs, attempt } = await retrying;
    expect({ delayMs, attempt }).toEqual({ delayMs: 300, attempt: 1 });
    await first.close();

    const second = open(mock, { store, retry: { minDelayMs: 300, maxDelayMs: 1_000 } });
    const secondEvents = recordEvents(second);
    await second.enqueue({ id: 'b' }); // new, due at once, but behind the persisted gate
    expect(await second.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });

    const [refused, ...later] = sends(mock);
    expect(refused?.status).toBe(500);
    for (const request of later) expect(request.at).toBeGreaterThanOrEqual(retryAt);
    expect(secondEvents.sent.find(({ event }) => event.record.id === 'a')?.event.attempt).toBe(2);
  });
});
