// Several workers (outboxes with their own pools) drain one PostgreSQL queue: every record is
// delivered, none twice while nobody dies, the work is shared, coalescing holds across workers,
// and a transaction that rolls back leaves nothing to send.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../helpers/mock-service.js';
import { makeRecords, duplicates } from '../helpers/records.js';
import { until } from '../helpers/until.js';
import { within } from '../helpers/within.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';
import { useWorkers } from './fleet-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);

describe.skipIf(postgresMissing)('a fleet of workers over one queue', () => {
  it('four workers deliver 2,000 records under 30 % 5xx, each once, and share the work', async () => {
    const mock = await startMock({ latencyMs: 5, random: { seed: 7, faults: [{ probability: 0.2, fault: { status: 503 } }, { probability: 0.1, fault: { status: 500 } }] } });
    const schema = pg.schema();
    const workers = [0, 1, 2, 3].map(() => worker(mock, schema, { batchSize: 20 }));
    const records = makeRecords(2000, 'fleet');
    await workers[0]!.outbox.enqueue(records.slice(0, 1000));
    await workers[1]!.outbox.enqueue(records.slice(1000));
    workers.forEach((w) => w.outbox.start());
    const summaries = await within(Promise.all(workers.map((w) => w.outbox.drain())), 'every drain', 60_000);
    expect(summaries.map((s) => s.pending)).toEqual([0, 0, 0, 0]);
    expect(new Set(mock.deliveredIds()).size).toBe(2000);
    expect(duplicates(mock.deliveredIds())).toEqual([]);
    expect(summaries.reduce((sum, s) => sum + s.sent, 0)).toBe(2000);
    // Shared: every worker sent some of them.
    for (const w of workers) expect(new Set(w.sent).size).toBeGreaterThan(0);
    expect(await workers[2]!.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });

  it('coalesces an id enqueued by two workers at once: stored once, sent once', async () => {
    const mock = await startMock();
    const schema = pg.schema();
    const [a, b] = [worker(mock, schema), worker(mock, schema)];
    const records = makeRecords(200, 'twin');
    const [ra, rb] = await Promise.all([a.outbox.enqueue(records), b.outbox.enqueue(records)]);
    expect(ra.added.length + rb.added.length).toBe(200);
    expect(ra.coalesced.length + rb.coalesced.length).toBe(200);
    expect((await a.outbox.pending()).length).toBe(200);
    a.outbox.start();
    b.outbox.start();
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 30_000);
    expect(mock.deliveredIds().length).toBe(200);
  });

  it('enqueue({ client }) joins the caller transaction: rolled back, never sent; committed, sent', async () => {
    const mock = await startMock();
    const schema = pg.schema();
    const w = worker(mock, schema);
    await w.outbox.counts(); // the schema exists before the caller's transaction uses it
    const pool = pg.pool(1);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await w.outbox.enqueue(makeRecords(3, 'rolled-back'), { client });
      expect(result.added.length).toBe(3);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await w.outbox.enqueue(makeRecords(2, 'committed'), { client });
      expect((await w.outbox.counts()).pending).toBe(0); // not visible before the commit
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    w.outbox.start();
    const summary = await within(w.outbox.drain(), 'the drain', 20_000);
    expect(summary).toMatchObject({ sent: 2, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(['committed0', 'committed1']);
  });

  it('purge from one worker removes rows another holds, and that one sends none of them', async () => {
    // a's first request is slow: meanwhile it holds the rest of what it claimed.
    const mock = await startMock({ faults: [{ delayMs: 600 }] });
    const schema = pg.schema();
    const [a, b] = [worker(mock, schema, { batchSize: 2 }), worker(mock, schema)];
    await a.outbox.enqueue(makeRecords(10, 'p'));
    a.outbox.start();
    await until(() => a.sent.length === 2, 'the first request');
    // It claims twice a batch: p0 and p1 in the request, p2 and p3 held.
    expect((await b.outbox.counts()).leased).toBe(4);
    expect(await b.outbox.purge(['p2', 'p3', 'p7'])).toBe(3);
    expect(await b.outbox.purge(['p2'])).toBe(0);
    await within(a.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds().sort()).toEqual(['p0', 'p1', 'p4', 'p5', 'p6', 'p8', 'p9']);
    expect(await b.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });

  it('a worker that is not sending holds nothing: a producer, a stopped worker', async () => {
    const mock = await startMock();
    const schema = pg.schema();
    const [producer, a] = [worker(mock, schema), worker(mock, schema)];
    await producer.outbox.enqueue(makeRecords(5, 'n'));
    expect(await producer.outbox.counts()).toEqual({ pending: 5, dead: 0, leased: 0 });
    a.outbox.start();
    await within(a.outbox.drain(), 'the drain', 20_000);
    await a.outbox.stop();
    await a.outbox.enqueue(makeRecords(3, 'm'));
    expect(await a.outbox.counts()).toEqual({ pending: 3, dead: 0, leased: 0 });
    expect(producer.sent).toEqual([]);
  });

  it('dead letters are the whole fleet\'s: listed, requeued and purged from any worker', async () => {
    const mock = await startMock({ faults: [{ status: 503, times: 2 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { retry: { maxAttempts: 1 }, batchSize: 1 });
    const b = worker(mock, schema);
    await a.outbox.enqueue(makeRecords(3, 'd'));
    a.outbox.start();
    const summary = await within(a.outbox.drain(), 'the drain', 20_000);
    expect(summary).toMatchObject({ failed: 2, pending: 0 });
    expect((await b.outbox.dead()).map((entry) => entry.record.id).sort()).toEqual(['d0', 'd1']);
    expect(await b.outbox.requeue(['d0'])).toBe(1);
    b.outbox.start();
    await within(b.outbox.drain(), 'the second drain', 20_000);
    expect(mock.deliveredIds().sort()).toEqual(['d0', 'd2']);
    expect(await a.outbox.purge()).toBe(1);
    expect(await b.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });
});
