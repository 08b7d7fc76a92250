// Hostile inputs through the database: ids with quotes, backslashes, SQL, LIKE wildcards, lone
// surrogates, NUL, emoji (kept exact, purged by id, delivered as given); 10,000 records in one
// call (with and without a client); a record close to the service's 1 MiB body; schema names in
// mixed case and of 63 characters (LISTEN/NOTIFY still wakes a worker); and a row that is not
// an entry (a hand-edited or corrupted row): "what the Delivery guarantees promise holds".
import { afterAll, describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords, records } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { pgUrl, postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);
const ownSchemas: string[] = [];
afterAll(async () => {
  const pool = db.pool(1);
  for (const schema of ownSchemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
});

const HOSTILE_IDS = [`a'b`, `a"b`, `a\\b`, `\\"`, `x'; DROP TABLE entries; --`, '%', '_', 'a%_', '\uD800', '\uDC00x', '😀', 'nul\u0000id', 'line\u2028sep', ' lead', 'ünï'];

describe.skipIf(postgresMissing)('hostile inputs through PostgreSQL', () => {
  it('hostile ids are stored exactly, purged by id one by one, and delivered as given', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema);
    const purgedIds = HOSTILE_IDS.filter((_, index) => index % 2 === 0);
    const sentIds = HOSTILE_IDS.filter((_, index) => index % 2 === 1);
    expect((await w.outbox.enqueue(records(...HOSTILE_IDS))).added.length).toBe(HOSTILE_IDS.length);
    expect((await w.outbox.enqueue(records(...HOSTILE_IDS))).coalesced.length).toBe(HOSTILE_IDS.length);
    expect(new Set((await w.outbox.pending()).map((entry) => entry.record.id))).toEqual(new Set(HOSTILE_IDS));
    for (const id of purgedIds) expect(await w.outbox.purge([id]), JSON.stringify(id)).toBe(1);
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect(new Set(mock.deliveredIds())).toEqual(new Set(sentIds));
    expect(await w.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });

  it('10,000 records in one enqueue call, and 10,000 in one call with a client: all stored, delivered once', { timeout: 120_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const [a, b] = [worker(mock, schema, { batchSize: 100 }), worker(mock, schema, { batchSize: 100 })];
    expect((await a.outbox.enqueue(makeRecords(10_000, 'bulk'))).added.length).toBe(10_000);
    const client = await db.pool(1).connect();
    try {
      await client.query('BEGIN');
      expect((await a.outbox.enqueue(makeRecords(10_000, 'txbulk'), { client })).added.length).toBe(10_000);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await b.outbox.counts()).pending).toBe(20_000);
    a.outbox.start();
    b.outbox.start();
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 100_000);
    expect(new Set(mock.deliveredIds()).size).toBe(20_000);
    expect(deliveredTwice(mock)).toEqual({});
  });

  it('a record of 900 KB goes through the database intact', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema);
    const big = { id: 'big', error_msg: 'é'.repeat(450_000) };
    await w.outbox.enqueue(big);
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    const delivered = mock.requests.find((request) => request.status === 200)?.records?.[0];
    expect(delivered?.error_msg).toBe(big.error_msg);
  });

  it.each([
    ['mixed case', () => `Fleet_Mixed_${Math.random().toString(36).slice(2, 8)}`],
    ['63 characters (the channel name is cut)', () => `f${Math.random().toString(36).slice(2, 8)}`.padEnd(63, 'x')],
    ['a reserved word', () => 'select'],
  ])('a schema named in %s: a worker that polls once a minute is woken by NOTIFY', { timeout: 30_000 }, async (_, name) => {
    const mock = await startMock();
    const schema = name();
    ownSchemas.push(schema);
    await db.pool(1).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const w = worker(mock, schema, { pollMs: 60_000 });
    const producer = worker(mock, schema);
    w.outbox.start();
    await within(w.outbox.drain(), 'an empty drain', 10_000);
    await until(() => w.outbox.getSnapshot().role === 'single', 'the worker running');
    await new Promise((resolve) => setTimeout(resolve, 300)); // its LISTEN is up
    await producer.outbox.enqueue(records('woken'));
    await until(() => mock.deliveredIds().includes('woken'), 'the record sent without a poll', 10_000);
    expect(pgUrl()).toBeTruthy();
  });

  it('a row that is not an entry (corrupted, hand-edited): the other records are still delivered, and it is reported', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema, { batchSize: 5 });
    await w.outbox.enqueue(makeRecords(6, 'ok'));
    await db.pool(1).query(`UPDATE "${schema}".entries SET entry = 'not json {' WHERE key LIKE '%ok0"'`);
    const problems: string[] = [];
    w.outbox.on('error', ({ error }) => void problems.push(error.message));
    w.outbox.start();
    // Broken: every read of this worker fails on the bad row (JSON.parse of the whole result), so
    // it sends nothing, and it keeps (renews) the leases its failed reads took: nobody else can either.
    const delivered = await until(() => new Set(mock.deliveredIds()).size === 5, 'the five good records delivered', 10_000).then(
      () => 'all five',
      async () => `${new Set(mock.deliveredIds()).size} of 5; counts ${JSON.stringify(await w.outbox.counts())}; ${problems.length} problems, the last: ${problems.at(-1)}`,
    );
    expect(delivered).toBe('all five');
    expect(problems.length).toBeGreaterThan(0);
  });
});
