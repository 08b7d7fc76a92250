// "A worker holds its rows with a lease that it renews every third of it while it lives, so a
// slow request keeps its batch" and "without kills no record goes twice". Attacked: a slow
// request on a healthy pool (holds), and a worker whose pool is busy with the application's own
// transaction (the README's transactional-outbox pattern on the same pool) while it sends.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { sleep } from '../../helpers/sleep.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);

describe.skipIf(postgresMissing)('leases are renewed while a worker sends', () => {
  it('a request slower than three leases keeps its batch: the other worker never sends those records', { timeout: 60_000 }, async () => {
    // The first send takes 3.5 s; leases are 1 s, renewed every third of a second.
    const mock = await startMock({ faults: [{ delayMs: 3500 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { leaseMs: 1000, batchSize: 3 });
    await a.outbox.enqueue(makeRecords(3, 'slow'));
    a.outbox.start();
    await until(() => a.sent.length === 3, 'the slow request', 20_000);
    const b = worker(mock, schema, { leaseMs: 1000 });
    b.outbox.start();
    await sleep(2500); // two and a half leases into the request
    expect(b.sent).toEqual([]);
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 30_000);
    expect(deliveredTwice(mock)).toEqual({});
    expect(b.sent).toEqual([]);
  });

  it('a pool busy with the application\'s transaction (pool of 2, one client checked out) keeps the batch: no record goes twice', { timeout: 60_000 }, async () => {
    // Worker a: a pool of 2 (the README's minimum for LISTEN), 1 s leases. Its first request is slow.
    const mock = await startMock({ faults: [{ delayMs: 2000 }] });
    const schema = pg.schema();
    const pool = pg.pool(2);
    const a = worker(mock, schema, { pool, leaseMs: 1000, batchSize: 2, concurrency: 1 });
    await a.outbox.enqueue(makeRecords(4, 'tx'));
    a.outbox.start();
    await until(() => a.sent.length === 2, 'a\'s first request', 20_000);
    // a holds all four rows (twice its batch); one connection LISTENs, one is idle.
    expect((await a.outbox.counts()).leased).toBe(4);
    await until(() => pool.totalCount === 2 && pool.idleCount === 1, 'a\'s LISTEN connection', 10_000);
    // The application, on the same pool (README: `await pool.connect(); BEGIN; …; enqueue(records, { client }); COMMIT`),
    // holds its transaction for 3 s: a slow UPDATE, a lock wait, a slow external call.
    const client = await pool.connect();
    const b = worker(mock, schema, { leaseMs: 1000 });
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1');
      b.outbox.start();
      await sleep(3000);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 30_000);
    expect(new Set(mock.deliveredIds()).size).toBe(4);
    // Broken: a's renewals waited for a connection, its leases ran out, b claimed and sent a's
    // rows, and a (its batch still in memory) sent them too.
    expect(deliveredTwice(mock)).toEqual({});
  });
});
