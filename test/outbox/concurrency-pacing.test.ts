// `concurrency` bounds the requests in flight at once (and does overlap them); with 1 they never
// overlap. `maxRequestsPerSecond` spaces request starts by at least 1/rate, whatever the concurrency.
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/index.js';
import type { MockRequest, MockWorkspace } from '../../src/mock-server.js';
import { makeRecords, sends, useOutboxes } from './support.js';

const LATENCY_MS = 100;
/** Timer slack: a 100 ms timer may fire a millisecond early by `Date.now()`. */
const SLACK_MS = 5;
/**
 * Scheduling noise between the outbox taking its slot and a listener reading the clock (other
 * test files share the CPU): a few ms on the client, more on the way to the server, where only
 * the mean spacing is checked.
 */
const CLIENT_NOISE_MS = 20;
const SERVER_NOISE_MS = 20;

/** Checks that consecutive request starts are `intervalMs` apart (client) and that arrivals keep that pace on average (server). */
function expectPaced(starts: readonly number[], arrivals: readonly number[], intervalMs: number): void {
  for (let index = 1; index < starts.length; index++) {
    expect(starts[index]! - starts[index - 1]!, `start ${index} after start ${index - 1}`).toBeGreaterThanOrEqual(intervalMs - CLIENT_NOISE_MS);
  }
  const span = arrivals.at(-1)! - arrivals[0]!;
  expect(span / (arrivals.length - 1), 'mean spacing of arrivals').toBeGreaterThanOrEqual(intervalMs - SERVER_NOISE_MS);
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

  /** The first fetch of a process loads its HTTP client and connects: done here, it does not skew arrival gaps. */
  async function warmUp(mock: MockWorkspace): Promise<void> {
    await (await fetch(`${mock.url}/warm-up`)).arrayBuffer();
  }

  it('of 10 starts requests at least 100 ms apart, even with 3 allowed in flight', async () => {
    const mock = await startMock();
    await warmUp(mock);
    const outbox = open(mock, { maxRequestsPerSecond: 10, concurrency: 3, batchSize: 1 });
    const starts: number[] = [];
    outbox.on('sending', () => void starts.push(Date.now()));
    await outbox.enqueue(makeRecords(5));

    expect(await outbox.drain()).toEqual({ sent: 5, failed: 0, pending: 0 });

    expect(starts).toHaveLength(5);
    expectPaced(starts, sends(mock).map((request) => request.at), 100);
  });

  it('also paces the requests of a split', async () => {
    const mock = await startMock({ poisonIds: ['r3'] });
    await warmUp(mock);
    const outbox = open(mock, { maxRequestsPerSecond: 20, batchSize: 8 });
    const starts: number[] = [];
    outbox.on('sending', () => void starts.push(Date.now()));
    await outbox.enqueue(makeRecords(8));

    expect(await outbox.drain()).toEqual({ sent: 7, failed: 1, pending: 0 });

    expect(starts.length).toBeGreaterThan(3);
    expectPaced(starts, sends(mock).map((request) => request.at), 50);
  });
});
