// requeue() in a fleet. Promises attacked: "requeue() and purge() reach every row"; "a producer
// that only enqueues, or a stopped worker, holds nothing"; "It holds at most twice batchSize ×
// concurrency rows, so the others have work too"; "Nothing else is ever sent twice". requeue()
// goes through the engine's in-memory view and writes the rows back as held by the caller.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);
const ONE_SHOT = { ...FAST_RETRY, maxAttempts: 1 };

describe.skipIf(postgresMissing)('requeue in a fleet', () => {
  it('a requeue from a producer that never sends: a sending worker delivers the record (the producer holds nothing)', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503 }] });
    const schema = pg.schema();
    const w = worker(mock, schema, { retry: ONE_SHOT, batchSize: 1, leaseMs: 1000 });
    await w.outbox.enqueue(makeRecords(1, 'd'));
    w.outbox.start();
    await within(w.outbox.drain(), 'the first drain', 20_000);
    expect((await w.outbox.counts()).dead).toBe(1);
    // An admin endpoint of a web process (a producer: created, never started) requeues it.
    const producer = worker(mock, schema, { leaseMs: 1000 });
    expect(await producer.outbox.requeue(['d0'])).toBe(1);
    // Broken: the row is written back leased to the producer, which renews the lease every third
    // of a second and never sends: the started worker cannot claim it while the producer lives.
    await until(() => mock.deliveredIds().includes('d0'), 'd0 delivered by the sending worker (leases of 1 s)', 10_000);
    expect(producer.sent).toEqual([]);
  });

  it('a worker with a stale view requeues a record another worker already requeued and is sending: it is sent once', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { retry: ONE_SHOT, batchSize: 1 });
    await a.outbox.enqueue(makeRecords(1, 'twice'));
    a.outbox.start();
    await within(a.outbox.drain(), 'the first drain', 20_000);
    // b reads the queue now (d0 dead) and polls rarely (a one-connection pool does not LISTEN).
    const b = worker(mock, schema, { pool: pg.pool(1), pollMs: 60_000 });
    b.outbox.start();
    await until(() => b.outbox.getSnapshot().counts.dead === 1, 'b seeing the dead record', 10_000);
    mock.inject({ delayMs: 1500 }); // a's resend is slow
    expect(await a.outbox.requeue(['twice0'])).toBe(1);
    await until(() => a.sent.length === 2, 'a resending it', 10_000);
    // The row is pending and in a's hands now: nothing is dead any more.
    expect((await b.outbox.counts()).dead).toBe(0);
    const second = await b.outbox.requeue(['twice0']);
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 30_000);
    // Holds since requeue() re-reads first (4cd5929); before, b revived it from its stale view.
    expect({ revivedByB: second, deliveredTwice: deliveredTwice(mock) }).toEqual({ revivedByB: 0, deliveredTwice: {} });
  });

  it('two workers requeue the same dead record at the same moment: it is sent once, and one of them says it requeued it', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { retry: ONE_SHOT, batchSize: 1 });
    const b = worker(mock, schema, { retry: ONE_SHOT, batchSize: 1 });
    await a.outbox.enqueue(makeRecords(1, 'same'));
    a.outbox.start();
    b.outbox.start();
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the first drains', 20_000);
    expect((await a.outbox.counts()).dead).toBe(1);
    mock.inject({ delayMs: 1000, times: 2 }); // the resends are slow: both in flight at once
    // Two operators click "requeue" on two replicas at the same moment.
    const counts = await Promise.all([a.outbox.requeue(['same0']), b.outbox.requeue(['same0'])]);
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 30_000);
    // Broken: both re-read (dead), both revive it in memory; the second write is skipped in the
    // database (the first one's lease holds the row) but its worker keeps and sends the record anyway.
    expect({ requeued: counts[0]! + counts[1]!, deliveredTwice: deliveredTwice(mock) }).toEqual({ requeued: 1, deliveredTwice: {} });
  });

  it('a worker that requeues 20 dead records holds at most twice batchSize × concurrency of them', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, times: 10 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { retry: ONE_SHOT, batchSize: 2, concurrency: 1 });
    await a.outbox.enqueue(makeRecords(20, 'many'));
    a.outbox.start();
    await within(a.outbox.drain(), 'the first drain', 20_000);
    expect((await a.outbox.counts()).dead).toBe(20);
    mock.inject({ delayMs: 1000, times: 20 });
    await a.outbox.requeue();
    // Broken: every requeued row is written back leased to a (20), so no other worker can help.
    expect((await a.outbox.counts()).leased).toBeLessThanOrEqual(4);
  });
});
