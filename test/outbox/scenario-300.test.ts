// The whole promise at once: 300 records through a seeded storm of 503 (with Retry-After), 500,
// 429 and dropped connections, with two records the service refuses. Every good record arrives
// exactly once, the refused ones are dead-lettered, nobody jumps a Retry-After, and the events
// and the drain summary add up.
import { describe, expect, it } from 'vitest';
import type { MockFault, MockRandomFaults } from '../../src/mock-server.js';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { duplicates, makeRecords } from '../helpers/records.js';

const RECORDS = makeRecords(300);
const POISON = ['r013', 'r161'];
const GOOD = RECORDS.map((record) => record.id).filter((id) => !POISON.includes(id));

const STORM: MockRandomFaults = {
  seed: 20_240_611,
  faults: [
    { probability: 0.05, fault: { status: 503, retryAfter: 0.1 } },
    { probability: 0.04, fault: { status: 503, retryAfter: 0.2 } },
    { probability: 0.03, fault: { status: 503, retryAfter: 0.3 } },
    { probability: 0.06, fault: { status: 500 } },
    { probability: 0.06, fault: { status: 429 } },
    { probability: 0.06, fault: { drop: true } },
  ],
};

const retryAfterMsOf = (fault: MockFault | undefined): number | undefined =>
  fault?.status === 503 && typeof fault.retryAfter === 'number' ? fault.retryAfter * 1000 : undefined;

describe('300 records through a seeded storm of faults', () => {
  const { startMock, open } = useOutboxes();

  async function runStorm(concurrency: number, fetchImpl?: typeof globalThis.fetch) {
    const mock = await startMock({ poisonIds: POISON, random: STORM });
    const outbox = open(mock, {
      batchSize: 25,
      concurrency,
      // The poison records' neighbours are sent once per split level on top of the storm's retries;
      // their attempt counts grow fast, so the exponential delay is capped low to keep the run short.
      retry: { maxAttempts: 50, maxDelayMs: 50 },
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
    const events = recordEvents(outbox);
    await outbox.enqueue(RECORDS);
    const summary = await outbox.drain();
    return { mock, outbox, events, summary };
  }

  async function expectEveryPromiseKept({ mock, outbox, events, summary }: Awaited<ReturnType<typeof runStorm>>) {
    // The storm really happened (otherwise this test proves little).
    const faulted = sends(mock).filter((request) => request.fault !== undefined);
    expect(new Set(faulted.map((request) => request.fault?.drop ? 'drop' : request.fault?.status))).toEqual(
      new Set(['drop', 500, 429, 503]),
    );

    // Every good record delivered exactly once; the poison ones never.
    const delivered = mock.deliveredIds();
    expect(duplicates(delivered)).toEqual([]);
    expect([...delivered].sort()).toEqual(GOOD);

    // The poison records are dead-lettered as rejected, in dead() and through `failed`.
    const dead = await outbox.dead();
    expect(dead.map((entry) => entry.record.id).sort()).toEqual(POISON);
    for (const entry of dead) {
      expect(entry.deadReason).toBe('rejected');
      expect(entry.lastError).toMatchObject({ status: 400, errorCode: 'WKS.00131104' });
    }
    expect(events.failed.map(({ event }) => event.record.id).sort()).toEqual(POISON);
    for (const { event } of events.failed) {
      expect(event.reason).toBe('rejected');
      expect(event.error).toMatchObject({ status: 400, errorCode: 'WKS.00131104' });
    }

    // The events add up: one `sent` per delivered record, one `failed` per dead one.
    const sentIds = events.sent.map(({ event }) => event.record.id);
    expect(duplicates(sentIds)).toEqual([]);
    expect(sentIds.sort()).toEqual(GOOD);
    expect(summary).toEqual({ sent: 298, failed: 2, pending: 0 });
    expect(events.drained.map(({ event }) => event)).toEqual([{ sent: 298, failed: 2, pending: 0 }]);
    // `drained` announces the end: every record's outcome was announced before it.
    expect(events.order.at(-1)).toBe('drained');
    expect(await outbox.pending()).toEqual([]);
  }

  it('one request at a time: all 298 good records arrive once, the 2 poison ones are dead-lettered, no request jumps a Retry-After', async () => {
    const run = await runStorm(1);
    await expectEveryPromiseKept(run);

    // Sequential requests: each answer comes after its request arrived, so `at + Retry-After`
    // is a lower bound the next request must respect.
    const requests = sends(run.mock);
    for (const [index, request] of requests.entries()) {
      const waitMs = retryAfterMsOf(request.fault);
      const next = requests[index + 1];
      if (waitMs === undefined || next === undefined) continue;
      expect(next.at - request.at, `request ${index + 1} after a 503 with Retry-After ${waitMs} ms`).toBeGreaterThanOrEqual(waitMs);
    }
    // The good records that shared a batch with a poison one were delivered too (by the split).
    const poisonBatches = requests.filter((request) => idsOf(request).some((id) => POISON.includes(id)) && idsOf(request).length === 25);
    expect(poisonBatches.length).toBeGreaterThanOrEqual(2);
    const neighbours = poisonBatches.flatMap(idsOf).filter((id) => !POISON.includes(id));
    expect(run.mock.deliveredIds()).toEqual(expect.arrayContaining(neighbours));
  });

  it('three requests at a time: the same promises, and no request starts before a Retry-After it was given has passed', async () => {
    // Real fetch, timed: when each answer reached the client, by X-Request-Id.
    const answeredAt = new Map<string, number>();
    const timedFetch: typeof globalThis.fetch = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      answeredAt.set(response.headers.get('x-request-id') ?? '', Date.now());
      return response;
    };
    const run = await runStorm(3, timedFetch);
    await expectEveryPromiseKept(run);

    const waits = run.events.retrying.filter(({ event }) => event.error.retryAfterMs !== undefined);
    expect(waits.length).toBeGreaterThan(0);
    for (const { seq, event } of waits) {
      // The delay counts from the answer that asked for it…
      const answered = answeredAt.get(event.error.requestId ?? '');
      expect(answered).toBeDefined();
      expect(event.retryAt - answered!).toBeGreaterThanOrEqual(event.error.retryAfterMs!);
      // …and once the outbox knows it, no batch starts a request before it has passed.
      const early = run.events.sending.filter((sending) => sending.seq > seq && sending.at < event.retryAt);
      expect(early.map((sending) => sending.event.records.length), `requests started before ${event.retryAt}`).toEqual([]);
    }
  });
});
