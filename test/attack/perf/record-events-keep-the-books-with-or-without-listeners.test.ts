// Attack on src/outbox/record-events.ts: per-record events are now built only when a listener
// (or a publishing host) wants them, and the bookkeeping (drain counts, records in flight, the
// snapshot) is done once per batch. README promises: `drain()` resolves `{ sent, failed, pending }`
// counted over this drain; "A listener that throws never breaks the outbox: it is reported
// through `error`"; `getSnapshot()` shows `sending` records while their request is under way and
// is the same object until something changes; `stats()` counts pending, in flight and dead.
import { describe, expect, it } from 'vitest';
import { createOutbox, MemoryStore, type Outbox, type OutboxEventName } from '../../../src/index.js';
import type { MockWorkspace } from '../../../src/mock-server.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';
import { useMocks } from '../../helpers/mock-service.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';

const startMock = useMocks();
const RECORDS = ['a', 'b', 'c', 'poison', 'd', 'e'].map((id) => ({ id }));

function open(mock: MockWorkspace): Outbox {
  return createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore(), batchSize: 10, retry: FAST_RETRY });
}

/** One drain of RECORDS (one poison id, one 503 first) with `listen` applied to the outbox first. */
async function drainWith(listen: (outbox: Outbox) => void) {
  const mock = await startMock({ poisonIds: ['poison'], faults: [{ status: 503, retryAfter: 0 }] });
  const outbox = open(mock);
  try {
    listen(outbox);
    await outbox.enqueue(RECORDS);
    const summary = await within(outbox.drain(), 'the drain');
    const { counts } = outbox.getSnapshot();
    const { pending, inFlight, dead } = outbox.stats();
    return { summary, counts, stats: { pending, inFlight, dead }, delivered: mock.deliveredIds().sort() };
  } finally {
    await outbox.close();
  }
}

const EXPECTED = {
  summary: { sent: 5, failed: 1, pending: 0 },
  counts: { pending: 0, sending: 0, retrying: 0, dead: 1, total: 1 },
  stats: { pending: 0, inFlight: 0, dead: 1 },
  delivered: ['a', 'b', 'c', 'd', 'e'],
};

describe('the books of a drain', () => {
  it('are the same with no listener at all', async () => {
    expect(await drainWith(() => undefined)).toEqual(EXPECTED);
  });

  it('are the same with a listener on every event', async () => {
    const seen: Record<string, number> = {};
    const names: OutboxEventName[] = ['enqueued', 'sending', 'sent', 'retrying', 'failed', 'drained'];
    expect(await drainWith((outbox) => names.forEach((name) => outbox.on(name, () => (seen[name] = (seen[name] ?? 0) + 1))))).toEqual(EXPECTED);
    expect(seen).toMatchObject({ enqueued: 6, sent: 5, retrying: 6, failed: 1 });
  });

  it('are the same when every per-record listener throws, and each throw is reported as a listener error', async () => {
    const reported: string[] = [];
    const result = await drainWith((outbox) => {
      for (const name of ['enqueued', 'sending', 'sent', 'retrying', 'failed'] as const) {
        outbox.on(name, () => {
          throw new Error(`boom in ${name}`);
        });
      }
      outbox.on('error', (event) => event.during === 'listener' && reported.push(event.error.message));
    });
    expect(result).toEqual(EXPECTED);
    expect(reported.filter((message) => message.includes('"sent"'))).toHaveLength(5);
    expect(reported.filter((message) => message.includes('"enqueued"'))).toHaveLength(6);
  });

  it('are the same when listeners unsubscribe themselves and others during an emission and subscribe new ones', async () => {
    const late: string[] = [];
    const calls = { retrying: 0, sentA: 0 };
    const result = await drainWith((outbox) => {
      const offRetrying = outbox.on('retrying', () => {
        calls.retrying++;
        offRetrying();
        outbox.on('failed', (event) => late.push(event.record.id));
      });
      const offs: Array<() => void> = [];
      offs.push(
        outbox.on('sent', () => {
          calls.sentA++;
          offs.forEach((off) => off());
        }),
        outbox.on('sent', () => undefined),
      );
    });
    expect(result).toEqual(EXPECTED);
    expect(calls).toEqual({ retrying: 1, sentA: 1 });
    expect(late).toEqual(['poison']);
  });
});

describe('records in flight with no listener, only a subscriber', () => {
  it('getSnapshot() shows them as sending during the request and not after; stats().inFlight agrees', async () => {
    const mock = await startMock({ faults: [{ delayMs: 400 }] });
    const outbox = open(mock);
    let notified = 0;
    outbox.subscribe(() => notified++);
    try {
      await outbox.enqueue([{ id: 'x' }, { id: 'y' }, { id: 'z' }]);
      const drained = outbox.drain();
      await until(() => outbox.getSnapshot().counts.sending === 3, 'the snapshot to show 3 records sending');
      expect(outbox.stats().inFlight).toBe(3);
      const during = outbox.getSnapshot();
      expect(outbox.getSnapshot()).toBe(during); // same object until something changes
      expect(await within(drained, 'the drain')).toEqual({ sent: 3, failed: 0, pending: 0 });
      await until(() => outbox.getSnapshot() !== during, 'a new snapshot');
      expect(outbox.getSnapshot().counts).toEqual({ pending: 0, sending: 0, retrying: 0, dead: 0, total: 0 });
      expect(outbox.stats()).toMatchObject({ pending: 0, inFlight: 0, dead: 0, requests: 1, answers: { '2xx': 1 } });
      expect(notified).toBeGreaterThan(0);
    } finally {
      await outbox.close();
    }
  });
});
