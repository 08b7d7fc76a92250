// Stored times are not trusted forever: a next-attempt time, an endpoint gate or an enqueue time
// that no cap could have produced (a clock that was wrong, a hand-edited file) is clamped on load
// and on use, and expiry does not wait for a far gate. Every test runs on an injected clock
// (`options.now`), so nothing here races the machine's own clock.
import { describe, expect, it } from 'vitest';
import { MemoryStore, type OutboxEntry } from '../../src/index.js';
import { normalizeEndpoint } from '../../src/api/endpoint.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { thrownBy } from '../helpers/caught.js';
import { ManualClock, YEAR_2100 } from '../helpers/manual-clock.js';
import { nextEvent } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { within } from '../helpers/within.js';
import { bareEntry } from '../../src/testing.js';

const { startMock, open } = useOutboxes();

const YEAR_MS = 365 * 24 * 3_600_000;

const gateKey = (mock: MockWorkspace): string => `gate:${normalizeEndpoint(mock.url)}`;

/** A store holding `entries` (of the mock's project) and, when given, the endpoint's gate. */
async function preloaded(mock: MockWorkspace, entries: Array<Partial<OutboxEntry> & { id: string }>, gate?: number): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.putMany(entries.map(({ id, ...rest }, index) => bareEntry(id, { projectId: mock.projectId, seq: index + 1, ...rest })));
  if (gate !== undefined) await store.setMeta({ [gateKey(mock)]: gate });
  return store;
}

describe('a time in 2100 is clamped to the caps that could have produced it', () => {
  const cases: Array<[string, number, number | undefined]> = [
    ["the record's next attempt time", YEAR_2100, undefined],
    ["the endpoint's gate", 0, YEAR_2100],
    ['both', YEAR_2100, YEAR_2100],
  ];
  for (const [what, nextAttemptAt, gate] of cases) {
    it(`${what} in 2100: drain() sends once the clock passed max(maxDelayMs, maxRetryAfterMs)`, async () => {
      const clock = new ManualClock();
      const mock = await startMock();
      const store = await preloaded(mock, [{ id: 'far', enqueuedAt: clock.now(), attempts: 1, nextAttemptAt }], gate);
      const outbox = open(mock, { store, now: clock.now, retry: { maxDelayMs: 40, maxRetryAfterMs: 50 } });
      // Loaded (and clamped) at the clock's start: the caps count from there.
      const loaded = await outbox.pending();
      if (nextAttemptAt > 0) expect(loaded.map((entry) => entry.nextAttemptAt)).toEqual([clock.now() + 50]);

      const drained = outbox.drain();
      clock.advance(50);
      expect(await within(drained, 'drain() with a time in 2100 in the store', 10_000)).toEqual({ sent: 1, failed: 0, pending: 0 });
      expect(mock.deliveredIds()).toEqual(['far']);
    });
  }
});

describe('a time that the clock left far ahead is clamped when it is used', () => {
  it('a clock set back a year while a retry waits: the retry comes within the caps of the new time, not a year later', async () => {
    const clock = new ManualClock();
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 0.05 }] });
    const outbox = open(mock, { now: clock.now, retry: { maxDelayMs: 40, maxRetryAfterMs: 50 } });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue(records('a'));
    const drained = outbox.drain();
    expect((await retrying).retryAt).toBe(clock.now() + 50);

    clock.advance(-YEAR_MS); // the machine's clock was a year ahead, and is corrected
    // Another record arrives and wakes the outbox, which looks at its times again (and clamps
    // them to the new now + 50); a macrotask later it is waiting for that.
    await outbox.enqueue(records('b'));
    await sleep(0);
    clock.advance(50);
    expect(await within(drained, 'drain() after the clock was set back', 10_000)).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
  });
});

describe('expiry does not wait for a far gate or a far next attempt', () => {
  it('records that reach maxAgeMs behind a gate in 2100 are dead-lettered `expired` when they do, not when the gate opens', async () => {
    const clock = new ManualClock();
    const mock = await startMock();
    const store = await preloaded(
      mock,
      [
        { id: 'due-behind-the-gate', enqueuedAt: clock.now() },
        { id: 'own-time-in-2100', enqueuedAt: clock.now(), nextAttemptAt: YEAR_2100 },
      ],
      YEAR_2100,
    );
    // Default caps (a gate may be an hour away), records may live 200 ms.
    const outbox = open(mock, { store, now: clock.now, maxAgeMs: 200, retry: { maxDelayMs: 300_000, maxRetryAfterMs: 3_600_000 } });
    expect(await outbox.pending()).toHaveLength(2);
    const drained = outbox.drain();
    clock.advance(200);
    expect(await within(drained, 'drain() behind a gate in 2100', 10_000)).toEqual({ sent: 0, failed: 2, pending: 0 });
    expect((await outbox.dead()).map((entry) => [entry.record.id, entry.deadReason]).sort()).toEqual([
      ['due-behind-the-gate', 'expired'],
      ['own-time-in-2100', 'expired'],
    ]);
    expect(mock.requests).toEqual([]);
  });

  it('an enqueue time in 2100 counts as now: the record expires maxAgeMs later instead of living forever', async () => {
    const clock = new ManualClock();
    const mock = await startMock();
    const store = await preloaded(mock, [{ id: 'from-the-future', enqueuedAt: YEAR_2100, attempts: 1, nextAttemptAt: YEAR_2100 }]);
    const outbox = open(mock, { store, now: clock.now, maxAgeMs: 200, retry: { maxDelayMs: 1_000, maxRetryAfterMs: 1_000 } });
    expect((await outbox.pending()).map((entry) => entry.enqueuedAt)).toEqual([clock.now()]);
    const drained = outbox.drain();
    clock.advance(200);
    expect(await within(drained, 'drain() of a record enqueued in 2100', 10_000)).toEqual({ sent: 0, failed: 1, pending: 0 });
    expect((await outbox.dead()).map((entry) => entry.deadReason)).toEqual(['expired']);
  });
});

describe('the clock is injectable', () => {
  it('times the outbox writes come from options.now', async () => {
    const clock = new ManualClock();
    const mock = await startMock();
    const outbox = open(mock, { now: clock.now });
    await outbox.enqueue({ id: 'a' });
    expect((await outbox.pending()).map((entry) => entry.enqueuedAt)).toEqual([clock.now()]);
  });

  it('options.now must be a function', async () => {
    const mock = await startMock();
    const error = thrownBy(() => open(mock, { now: 1_700_000_000_000 as unknown as () => number }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/\bnow\b/);
  });
});
