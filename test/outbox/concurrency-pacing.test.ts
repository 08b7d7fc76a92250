// `concurrency` bounds the requests in flight at once (and does overlap them); with 1 they never
// overlap. `maxRequestsPerSecond` spaces request starts by at least 1/rate, whatever the concurrency.
// Pacing is checked on the clock the outbox and the mock share (`now`, `clock`), which follows
// real time but never moves inside one step of the outbox: no noise allowance is needed, and a
// busy machine only makes the run slower.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Outbox, OutboxOptions } from '../../src/index.js';
import type { MockRequest, MockWorkspace } from '../../src/mock-server.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { sends } from '../helpers/mock-requests.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

/** Long enough that requests sent together are still in flight together on a busy machine. */
const LATENCY_MS = 250;
/** Timer slack: a timer may fire a millisecond early by `Date.now()`. */
const SLACK_MS = 5;

/**
 * Checks that consecutive request starts are at least `intervalMs` apart on the outbox's clock,
 * and that no request reached the server before its slot (the k-th arrival is not earlier than
 * the k-th start).
 */
function expectPaced(starts: readonly number[], arrivals: readonly number[], intervalMs: number): void {
  for (let index = 1; index < starts.length; index++) {
    expect(starts[index]! - starts[index - 1]!, `start ${index} after start ${index - 1}`).toBeGreaterThanOrEqual(intervalMs);
  }
  expect(arrivals).toHaveLength(starts.length);
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (const [index, arrival] of sorted.entries()) {
    expect(arrival, `arrival ${index}`).toBeGreaterThanOrEqual(starts[0]! + index * intervalMs);
  }
}

/** Highest number of batches between `sending` and their outcome at any moment (client side). */
function trackInFlight(outbox: Outbox): { readonly max: number } {
  let current = 0;
  let max = 0;
  outbox.on('sending', () => {
    current += 1;
    max = Math.max(max, current);
  });
  // batchSize 1: one outcome event per batch.
  for (const outcome of ['sent', 'retrying', 'failed'] as const) outbox.on(outcome, () => void (current -= 1));
  return {
    get max() {
      return max;
    },
  };
}

/** Most requests whose [arrival, arrival + latency) windows overlap (server side). */
function maxOverlap(requests: readonly MockRequest[]): number {
  let max = 0;
  for (const request of requests) {
    const overlapping = requests.filter((other) => other.at <= request.at && request.at < other.at + LATENCY_MS - SLACK_MS);
    max = Math.max(max, overlapping.length);
  }
  return max;
}

describe('concurrency', () => {
  const { startMock, open } = useOutboxes();

  it('3 keeps at most 3 requests in flight, and does run them side by side', async () => {
    const mock = await startMock({ latencyMs: LATENCY_MS });
    const outbox = open(mock, { concurrency: 3, batchSize: 1 });
    const inFlight = trackInFlight(outbox);
    await outbox.enqueue(makeRecords(9));

    expect(await outbox.drain()).toEqual({ sent: 9, failed: 0, pending: 0 });

    expect(inFlight.max).toBe(3);
    // Seen from the server: requests did overlap, never more than 3 (arrival times are noisier than the client's count).
    expect(maxOverlap(sends(mock))).toBeGreaterThanOrEqual(2);
    expect(maxOverlap(sends(mock))).toBeLessThanOrEqual(3);
    expect([...mock.deliveredIds()].sort()).toEqual(makeRecords(9).map((record) => record.id));
  });

  it('1 (the default) never overlaps two requests', async () => {
    const mock = await startMock({ latencyMs: LATENCY_MS });
    const outbox = open(mock, { batchSize: 1 });
    const inFlight = trackInFlight(outbox);
    await outbox.enqueue(makeRecords(4));

    await outbox.drain();

    expect(inFlight.max).toBe(1);
    expect(maxOverlap(sends(mock))).toBe(1);
    const arrivals = sends(mock).map((request) => request.at);
    for (let index = 1; index < arrivals.length; index++) {
      expect(arrivals[index]! - arrivals[index - 1]!).toBeGreaterThanOrEqual(LATENCY_MS - SLACK_MS);
    }
  });
});

describe('maxRequestsPerSecond', () => {
  const { startMock, open } = useOutboxes();

  /** A mock and an outbox on one clock that follows real time; `starts` are the outbox's request starts on it. */
  async function paced(mockOptions: Parameters<typeof startMock>[0], options: Partial<OutboxOptions>) {
    const clock = new ManualClock();
    onTestFinished(clock.followRealTime());
    const mock: MockWorkspace = await startMock({ ...mockOptions, clock: clock.now });
    const outbox = open(mock, { ...options, now: clock.now });
    const starts: number[] = [];
    outbox.on('sending', () => void starts.push(clock.now()));
    return { mock, outbox, starts };
  }

  it('of 10 starts requests at least 100 ms apart, even with 3 allowed in flight', async () => {
    const { mock, outbox, starts } = await paced({}, { maxRequestsPerSecond: 10, concurrency: 3, batchSize: 1 });
    await outbox.enqueue(makeRecords(5));

    expect(await outbox.drain()).toEqual({ sent: 5, failed: 0, pending: 0 });

    expect(starts).toHaveLength(5);
    expectPaced(starts, sends(mock).map((request) => request.at), 100);
  });

  it('also paces the requests of a split', async () => {
    const { mock, outbox, starts } = await paced({ poisonIds: ['r3'] }, { maxRequestsPerSecond: 20, batchSize: 8 });
    await outbox.enqueue(makeRecords(8));

    expect(await outbox.drain()).toEqual({ sent: 7, failed: 1, pending: 0 });

    expect(starts.length).toBeGreaterThan(3);
    expectPaced(starts, sends(mock).map((request) => request.at), 50);
  });
});
