// A custom host (createEngine + a Coordinator of our own) over one MemoryStore: relays that come
// late or never, a sender that loses its role mid-request, roles that flap. Promises attacked:
// a follower's drain() ends (also when the sender was never started), a follower never sends,
// nothing acknowledged is lost, and only the batch in flight at a role change may go twice.
import { afterEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../../src/outbox/outbox.js';
import { useMocks } from '../../helpers/mock-service.js';
import { records, makeRecords } from '../../helpers/records.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';
import { Bus, countingFetch, deferred, twice } from './harness.js';

const startMock = useMocks();
const opened: Outbox[] = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((outbox) => within(outbox.close(), 'close', 5000)));
});

async function setup(loadMs: number[] = [0, 0], mockOptions = {}) {
  const mock = await startMock(mockOptions);
  const bus = new Bus();
  const fetches = loadMs.map(() => countingFetch());
  const outboxes = loadMs.map((ms, index) =>
    bus.add({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, fetch: fetches[index]!.fetch }, index === 0 ? 'leader' : 'follower', ms),
  );
  opened.push(...outboxes);
  await Promise.all(outboxes.map((outbox) => outbox.pending()));
  return { mock, bus, fetches, outboxes };
}

describe('a follower drain() over a custom host', () => {
  it('ends with the record sent when the leader (never started) reads the store slower than the forwarded drain arrives', async () => {
    // The leader's view of the store is slow to read (a big IndexedDB queue): the follower's
    // `changed` reaches it first and starts a re-read, then the forwarded `drain` arrives.
    const { mock, outboxes, fetches } = await setup([200, 0]);
    const [, follower] = outboxes as [Outbox, Outbox];
    await follower.enqueue(records('x1'));
    const summary = await within(follower.drain(), 'the follower drain', 5000);
    expect(summary).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect([...mock.deliveredIds()]).toEqual(['x1']);
    expect(fetches[1]!.calls).toBe(0);
  });

  it('ends when the relays come late but in order', async () => {
    const { mock, bus, outboxes, fetches } = await setup();
    bus.route = () => ({ delayMs: 40 });
    const [leader, follower] = outboxes as [Outbox, Outbox];
    // Started: a forwarded drain that overtakes the leader's re-read is the first test's defect.
    leader.start();
    await follower.enqueue(makeRecords(7, 'late'));
    const summary = await within(follower.drain(), 'the follower drain', 8000);
    expect(summary.pending).toBe(0);
    expect(summary.sent).toBe(7);
    expect(new Set(mock.deliveredIds()).size).toBe(7);
    expect(fetches[1]!.calls).toBe(0);
  });

  it('a follower never sends, started or flushed, and nothing is lost', async () => {
    const { mock, outboxes, fetches } = await setup([0, 0, 0]);
    const [leader, f1, f2] = outboxes as [Outbox, Outbox, Outbox];
    f1.start();
    f2.start();
    leader.start();
    await Promise.all([f1.enqueue(makeRecords(20, 'a')), f2.enqueue(makeRecords(20, 'b')), leader.enqueue(makeRecords(5, 'c'))]);
    await within(f1.flush(), 'the follower flush', 8000);
    await until(() => new Set(mock.deliveredIds()).size === 45, 'every record delivered');
    expect(fetches[1]!.calls + fetches[2]!.calls).toBe(0);
    expect(twice(fetches[0]!.idsSent)).toEqual([]);
  });
});

describe('role changes', () => {
  it('a sender demoted while its token provider is still answering does not send that batch', async () => {
    const mock = await startMock();
    const bus = new Bus();
    const gate = deferred<string>();
    let asked = 0;
    const [fa, fb] = [countingFetch(), countingFetch()];
    const base = { endpoint: mock.url, projectId: mock.projectId, retry: FAST_RETRY };
    const a = bus.add({ ...base, auth: { token: () => (asked++ === 0 ? gate.promise : mock.token) }, fetch: fa.fetch }, 'leader');
    const b = bus.add({ ...base, auth: { token: mock.token }, fetch: fb.fetch }, 'follower');
    opened.push(a, b);
    await a.enqueue(records('t1'));
    const draining = a.drain();
    await until(() => asked === 1, 'the provider asked');
    bus.lead(1); // a is a follower from here: it must not start a request
    await within(b.drain(), 'the new sender drains', 8000);
    gate.resolve(mock.token);
    await sleep(100);
    void draining;
    expect(fa.calls).toBe(0);
    expect(new Set(mock.deliveredIds()).size).toBe(1);
    expect(twice(mock.deliveredIds())).toEqual([]);
  });

  it('a new sender re-reads the store before it claims: a batch delivered and deleted before the change is not sent again', async () => {
    const { mock, bus, outboxes, fetches } = await setup();
    const [a, b] = outboxes as [Outbox, Outbox];
    b.start();
    await a.enqueue(makeRecords(5, 'old'));
    await until(() => b.getSnapshot().counts.total === 5, 'the follower sees the five records');
    // From here b hears nothing from a: its view still holds the five after a delivered them.
    bus.route = (_message, from) => (from === 0 ? { lost: true } : {});
    await within(a.drain(), 'the first sender drains', 8000);
    expect(await bus.store.load()).toMatchObject({ entries: [] });
    bus.lead(1);
    await b.enqueue(records('new'));
    await within(b.drain(), 'the new sender drains', 8000);
    expect(fetches[1]!.idsSent).toEqual(['new']);
    expect(twice(mock.deliveredIds())).toEqual([]);
  });

  it('flapping roles lose nothing, and only a batch in flight at a change goes twice', async () => {
    const { mock, bus, outboxes, fetches } = await setup([0, 0, 0], { latencyMs: 5 });
    const inFlightAtChange = new Set<string>();
    // A batch is in flight from its request until its delete is durable (the `sent` event comes
    // after it): a 200 that arrived just before the change, its delete not yet written, is still
    // the old sender's batch in flight, and the new sender may read it as pending.
    const done = new Set<string>();
    outboxes.forEach((outbox) => outbox.on('sent', ({ record }) => void done.add(record.id)));
    outboxes.forEach((outbox) => outbox.start());
    const ids = makeRecords(60, 'f');
    let leader = 0;
    for (let round = 0; round < 12; round++) {
      await outboxes[round % 3]!.enqueue(ids.slice(round * 5, round * 5 + 5));
      await sleep(7);
      for (const id of fetches[leader]!.open) inFlightAtChange.add(id);
      for (const id of fetches[leader]!.idsSent) if (!done.has(id)) inFlightAtChange.add(id);
      leader = (leader + 1) % 3;
      bus.lead(leader);
    }
    await until(() => new Set(mock.deliveredIds()).size === 60, 'all 60 delivered', 15_000);
    const all = fetches.flatMap((f) => f.idsSent);
    const extra = twice(all).filter((id) => !inFlightAtChange.has(id));
    expect(extra).toEqual([]);
  });
});
