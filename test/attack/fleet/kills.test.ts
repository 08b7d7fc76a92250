// "Nothing acknowledged is lost", "rolled back → never sent; committed → durable", "migrate()
// … in a transaction of its own": attacked by SIGKILLing real processes during a 10,000-record
// enqueue, inside an open transaction that enqueued with { client }, and while migrating schema
// after schema. Every outcome must be all or nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/postgres.js';
import { useMocks } from '../../helpers/mock-service.js';
import { spawnTs, type TsChild } from '../../helpers/spawn-ts.js';
import { sleep } from '../../helpers/sleep.js';
import { within } from '../../helpers/within.js';
import { pgUrl, postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const CHILD = new URL('./children/enqueuer.ts', import.meta.url);
const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);
const live = new Set<TsChild>();
const migratedPrefixes: string[] = [];
afterAll(async () => {
  await Promise.all([...live].map((child) => child.kill()));
  const pool = db.pool(1);
  for (const prefix of migratedPrefixes) {
    const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}\\_%`]);
    for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS "${row.nspname as string}" CASCADE`);
  }
});

function spawn(config: object): TsChild {
  const child = spawnTs(CHILD, [JSON.stringify({ pgUrl: pgUrl(), ...config })]);
  live.add(child);
  return child;
}

describe.skipIf(postgresMissing)('SIGKILL mid-way', () => {
  it('during a 10,000-record enqueue: each call is stored whole or not at all, and whole once acknowledged', { timeout: 120_000 }, async () => {
    const schema = db.schema();
    const pool = db.pool(1);
    for (const [round, delayMs] of [0, 40, 120, 300, 800].entries()) {
      const child = spawn({ mode: 'bulk', schema, prefix: `k${round}-`, count: 10_000 });
      await within(child.waitForLine((line) => line === 'ENQUEUING', 60_000), 'the child ready', 60_000);
      await sleep(delayMs);
      const acknowledged = child.lines.includes('ENQUEUED');
      await child.kill();
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".entries WHERE key LIKE $1`, [`%:k${round}-%`]);
      const stored = rows[0]!.n as number;
      expect([0, 10_000], `round ${round}: ${stored} stored`).toContain(stored);
      if (acknowledged) expect(stored).toBe(10_000);
    }
  });

  it('inside an open transaction that enqueued with { client }: nothing stored, no lock left; the same ids then go in and out once', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const child = spawn({ mode: 'tx', schema, prefix: 'tx-', count: 50 });
    await within(child.waitForLine((line) => line === 'IN_TX', 60_000), 'the open transaction', 60_000);
    await child.kill();
    const w = worker(mock, schema);
    expect((await w.outbox.counts()).pending).toBe(0);
    const again = await within(w.outbox.enqueue(Array.from({ length: 50 }, (_, index) => ({ id: `tx-${index}` }))), 'the same ids enqueued again', 20_000);
    expect(again.added.length).toBe(50);
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds().length).toBe(50);
  });

  it('while migrating fresh schemas one after another: each schema is complete or absent, and migrate() finishes any', { timeout: 60_000 }, async () => {
    const prefix = `kill_mig_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
    migratedPrefixes.push(prefix);
    const child = spawn({ mode: 'migrate', schema: `${prefix}_unused`, prefix, count: 1 });
    await within(child.waitForLine((line) => line === 'MIGRATED 3', 60_000), 'a few migrations', 60_000);
    await sleep(37);
    await child.kill();
    const pool = db.pool(1);
    const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname`, [`${prefix}\\_%`]);
    expect(rows.length).toBeGreaterThan(3);
    for (const { nspname } of rows as Array<{ nspname: string }>) {
      const { rows: tables } = await pool.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename IN ('entries', 'meta', 'migrations')`, [nspname]);
      expect(tables[0]!.n, nspname).toBe(3);
      expect(await migrate({ pool, schema: nspname })).toEqual([]);
    }
  });
});
