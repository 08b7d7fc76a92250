// "Times come from the database's clock (clock_timestamp()), so machines with skewed clocks
// agree." Attacked with worker processes whose clocks are two hours ahead and behind (they write
// a gate and enqueue times: on the database's clock, holds), and with a producer whose clock is
// behind and whose first call is enqueue({ client }), or whose first read failed (the database was
// down when it started): it stamps its own clock (broken).
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createOutbox, migrate } from '../../../src/postgres.js';
import { debianPgBin, startPgServer } from '../../helpers/pg-server.js';
import { until } from '../../helpers/until.js';
import { useMocks } from '../../helpers/mock-service.js';
import { records } from '../../helpers/records.js';
import { spawnTs, type TsChild } from '../../helpers/spawn-ts.js';
import { within } from '../../helpers/within.js';
import { pgUrl, postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const CHILD = new URL('./children/skewed-worker.ts', import.meta.url);
const HOUR = 3_600_000;
const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);
const live = new Set<TsChild>();
afterAll(async () => {
  await Promise.all([...live].map((child) => child.kill()));
});

async function dbNow(): Promise<number> {
  const { rows } = await db.pool(1).query(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`);
  return Number(rows[0]!.now);
}

describe.skipIf(postgresMissing)('skewed clocks in a fleet', () => {
  it('workers two hours ahead and behind write the gate and enqueue times on the database\'s clock; an honest worker is not held', { timeout: 90_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1, times: 2 }] });
    const schema = db.schema();
    const base = { url: mock.url, projectId: mock.projectId, token: mock.token, pgUrl: pgUrl(), schema, maxAttempts: 1 };
    for (const [skewMs, id] of [[2 * HOUR, 'ahead'], [-2 * HOUR, 'behind']] as const) {
      const child = spawnTs(CHILD, [JSON.stringify({ ...base, skewMs, ids: [id] })]);
      live.add(child);
      const done = await within(child.waitForLine((line) => line.startsWith('DONE '), 60_000), `the ${id} worker`, 60_000);
      expect(done).toBe('DONE 0 1');
      await child.exited;
    }
    const now = await dbNow();
    const { rows: gates } = await db.pool(1).query(`SELECT value FROM "${schema}".meta WHERE key LIKE 'gate:%'`);
    expect(gates.length).toBe(1);
    expect(Math.abs(Number(gates[0]!.value) - now)).toBeLessThan(60_000);
    const { rows } = await db.pool(1).query(`SELECT entry FROM "${schema}".entries`);
    for (const row of rows) expect(Math.abs((JSON.parse(row.entry as string) as { enqueuedAt: number }).enqueuedAt - now)).toBeLessThan(60_000);
    const honest = worker(mock, schema, { retry: { minDelayMs: 10, maxDelayMs: 1000, maxRetryAfterMs: 1000, jitter: 0 } });
    await honest.outbox.enqueue(records('honest'));
    honest.outbox.start();
    await within(honest.outbox.drain(), 'the honest worker', 15_000);
    expect(mock.deliveredIds()).toEqual(['honest']);
  });

  it('a producer whose clock is 2 h behind, first call enqueue({ client }): a worker with maxAgeMs of 1 h sends the records', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema, { maxAgeMs: HOUR });
    await w.outbox.counts(); // migrated
    w.outbox.start();
    // An application process two hours behind: its handler opens a transaction, makes the outbox
    // (a lazily created singleton) and enqueues with { client }.
    const config = { url: mock.url, projectId: mock.projectId, token: mock.token, pgUrl: pgUrl(), schema, maxAttempts: 20, skewMs: -2 * HOUR, ids: ['tx1', 'tx2'], mode: 'tx-producer' };
    const child = spawnTs(CHILD, [JSON.stringify(config)]);
    live.add(child);
    await within(child.waitForLine((line) => line === 'DONE', 60_000), 'the producer', 60_000);
    expect((await child.exited).code).toBe(0);
    const summary = await within(w.outbox.drain(), 'the drain', 20_000);
    // Broken: enqueue({ client }) stamps Date.now() + the offset of the store's last read, and
    // before the producer's first read that offset is 0: the rows are two hours old for the
    // whole fleet, and the worker dead-letters them `expired` without sending them.
    const dead = (await w.outbox.dead()).map((entry) => `${entry.record.id} ${entry.deadReason}`);
    expect({ pending: summary.pending, dead, delivered: mock.deliveredIds().sort() }).toEqual({ pending: 0, dead: [], delivered: ['tx1', 'tx2'] });
  });
});

describe.skipIf(!debianPgBin())('a producer that started while the database was down', () => {
  it('its machine\'s clock is 2 h behind: once the database is back, what it enqueues is sent by a worker with maxAgeMs of 1 h', { timeout: 120_000 }, async () => {
    const server = startPgServer();
    const realNow = Date.now;
    const pools: pg.Pool[] = [];
    const pool = () => {
      const made = new pg.Pool({ connectionString: server.url, max: 3 });
      made.on('error', () => undefined);
      pools.push(made);
      return made;
    };
    const mock = await startMock();
    const outboxes: Array<{ close(): Promise<void> }> = [];
    try {
      await migrate({ pool: pool(), schema: 'clock' });
      server.down();
      // This whole process runs two hours behind from now on (every worker of it reads the database's clock).
      Date.now = () => realNow() - 2 * HOUR;
      const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: pool(), schema: 'clock', pollMs: 100 });
      outboxes.push(producer);
      let failedRead = false;
      producer.on('error', () => void (failedRead = true));
      await until(() => failedRead, 'the producer\'s first read failing', 20_000);
      server.up();
      await within(producer.enqueue(records('late1', 'late2')), 'the enqueue once the server is back', 20_000);
      const w = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: pool(), schema: 'clock', pollMs: 100, maxAgeMs: HOUR });
      outboxes.push(w);
      w.start();
      await within(w.drain(), 'the worker\'s drain', 30_000);
      // Broken: a worker that is not sending never reads again (the poll skips it), so its clock
      // offset stays 0 after a failed first read: both enqueue paths stamp its own clock, two hours
      // behind the fleet's, and the worker dead-letters the records `expired` unsent.
      const dead = (await w.dead()).map((entry) => `${entry.record.id} ${entry.deadReason}`);
      expect({ dead, delivered: mock.deliveredIds().sort() }).toEqual({ dead: [], delivered: ['late1', 'late2'] });
    } finally {
      Date.now = realNow;
      for (const outbox of outboxes) await outbox.close().catch(() => undefined);
      for (const made of pools) await made.end().catch(() => undefined);
      server.stop();
    }
  });
});
