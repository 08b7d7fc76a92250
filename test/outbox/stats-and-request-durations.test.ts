// Observability without a dependency: `stats()` counts what this instance holds and what its
// requests did; `durationMs` on `sent`, `retrying` and `failed` says how long the request that
// decided took. Against the real mock service; durations have lower bounds only (a busy
// machine makes requests slower, never faster).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/manual-clock.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';

const { startMock, open } = useOutboxes();

describe('stats()', () => {
  it('counts pending, dead and the age of the oldest pending record on the outbox clock, before anything is sent', async () => {
    const clock = new ManualClock();
    const mock = await startMock();
    const outbox = open(mock, { now: clock.now });
    await outbox.enqueue([{ id: 'old' }]);
    clock.advance(5_000);
    await outbox.enqueue([{ id: 'new' }]);
    clock.advance(1_000);

    expect(outbox.stats()).toEqual({
      pending: 2,
      inFlight: 0,
      dead: 0,
      oldestPendingAgeMs: 6_000,
      requests: 0,
      answers: {},
      lastRequestAt: undefined,
      pausedReason: undefined,
      role: 'single',
    });
  });

  it('counts every request by how it ended, and when the last one ended', async () => {
    const mock = await startMock({ faults: [{ status: 503 }, { status: 429 }, { drop: true }], poisonIds: ['poison'] });
    const outbox = open(mock);
    await outbox.enqueue([{ id: 'a' }, { id: 'poison' }]);
    const before = Date.now();

    expect(await outbox.drain()).toMatchObject({ sent: 1, failed: 1, pending: 0 });

    const stats = outbox.stats();
    // 503, 429, dropped, then the batch of two is refused (400), split: 'a' delivered, 'poison' refused.
    expect(stats.answers).toEqual({ '503': 1, '429': 1, network: 1, '400': 2, '2xx': 1 });
    expect(stats.requests).toBe(6);
    expect(stats.requests).toBe(mock.requests.length);
    expect(stats).toMatchObject({ pending: 0, dead: 1, inFlight: 0, oldestPendingAgeMs: undefined });
    expect(stats.lastRequestAt).toBeGreaterThanOrEqual(before);
  });

  it('is a copy: changing what it returned changes nothing inside', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue({ id: 'x' });
    await outbox.drain();
    const first = outbox.stats();
    first.answers['2xx'] = 99;
    expect(outbox.stats().answers).toEqual({ '2xx': 1 });
  });
});

describe('durationMs on events', () => {
  it('sent, retrying and failed carry how long their request took (at least the delay the service added)', async () => {
    const mock = await startMock({ faults: [{ status: 503, delayMs: 150 }, { delayMs: 150 }], poisonIds: ['bad'] });
    const outbox = open(mock);
    const events = recordEvents(outbox);
    await outbox.enqueue([{ id: 'good' }]);
    await outbox.drain();
    await outbox.enqueue([{ id: 'bad' }]);
    await outbox.drain();

    const retrying = events.retrying.map(({ event }) => event.durationMs);
    const sent = events.sent.map(({ event }) => event.durationMs);
    const failed = events.failed.map(({ event }) => event.durationMs);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toBeGreaterThanOrEqual(140);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeGreaterThanOrEqual(140);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeGreaterThanOrEqual(0);
  });

  it('a record that expires in the queue, with no request, has no durationMs', async () => {
    const clock = new ManualClock();
    const mock = await startMock();
    const outbox = open(mock, { now: clock.now, maxAgeMs: 1_000 });
    const events = recordEvents(outbox);
    await outbox.enqueue({ id: 'stale' });
    clock.advance(2_000);

    expect(await outbox.drain()).toMatchObject({ failed: 1 });
    expect(events.failed.map(({ event }) => [event.reason, event.durationMs])).toEqual([['expired', undefined]]);
    expect(mock.requests).toHaveLength(0);
  });
});
