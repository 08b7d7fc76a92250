// close() does not sit out a backoff wait: during a 30 s Retry-After it resolves at once, and
// the records stay in the store with their attempt counted and their next attempt time, so
// another outbox over the same store picks them up and still honours the server's wait. The
// outboxes run on an injected clock that stands still, so the times are exact and no wait ends
// because the machine was slow.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

const RETRY_AFTER_S = 30;

async function closedDuringBackoff() {
  const mock = await startMock({ faults: [{ status: 503, retryAfter: RETRY_AFTER_S }] });
  const store = new MemoryStore();
  const clock = new ManualClock();
  const outbox = open(mock, { store, now: clock.now });
  await outbox.enqueue(records('a', 'b'));
  const retrying = nextEvent(outbox, 'retrying');
  const drained = outbox.drain();
  const { retryAt } = await retrying;

  const startedAt = Date.now();
  await outbox.close();
  const closeMs = Date.now() - startedAt;
  return { mock, store, clock, outbox, retryAt, closeMs, drained };
}

describe('close() during a Retry-After wait', () => {
  it('resolves promptly, not after the wait', async () => {
    const { closeMs, retryAt, clock } = await closedDuringBackoff();
    expect(retryAt - clock.now()).toBe(RETRY_AFTER_S * 1000);
    // Far below the 30 s wait (a busy machine may add seconds, not half a minute).
    expect(closeMs).toBeLessThan(10_000);
  });

  it('ends a drain that was waiting, with the records still pending', async () => {
    const { drained } = await closedDuringBackoff();
    expect(await drained).toEqual({ sent: 0, failed: 0, pending: 2 });
  });

  it('sends nothing more', async () => {
    const { mock } = await closedDuringBackoff();
    expect(mock.requests).toHaveLength(1);
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('keeps the records: a new outbox over the same store sees them pending, attempt 1, next attempt ≈ now + 30 s', async () => {
    const { mock, store, clock, retryAt } = await closedDuringBackoff();
    const second = open(mock, { store, now: clock.now });
    const pending = await second.pending();
    expect(pending.map((entry) => entry.record.id)).toEqual(['a', 'b']);
    for (const entry of pending) {
      expect(entry).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: retryAt });
      expect(entry.nextAttemptAt).toBe(clock.now() + RETRY_AFTER_S * 1000);
      expect(entry.lastError).toMatchObject({ status: 503, retryable: true, retryAfterMs: RETRY_AFTER_S * 1000 });
    }
  });

  it('keeps the endpoint’s gate: the new outbox sends nothing before the Retry-After', async () => {
    const { mock, store, clock } = await closedDuringBackoff();
    const second = open(mock, { store, now: clock.now });
    const events = recordEvents(second);
    await rejectionOf(second.drain({ signal: AbortSignal.timeout(300) }));
    expect(mock.requests).toHaveLength(1);
    expect(events.of('sending')).toEqual([]);
  });

  it('the kept records are delivered, once each, by the next outbox when told to send now (flush)', async () => {
    const { mock, store } = await closedDuringBackoff();
    const second = open(mock, { store });
    expect(await second.flush()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
  });
});
