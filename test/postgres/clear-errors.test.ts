// Bad input and faults of the PostgreSQL entry: each a clear error naming what is wrong, never
// the password or the connection string, and nothing lost.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createOutbox, migrate, PostgresStore, SCHEMA_VERSION } from '../../src/postgres.js';
import { MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { thrownBy } from '../helpers/caught.js';
import { records } from '../helpers/records.js';
import { pgUrl, postgresMissing, usePostgres } from '../helpers/postgres.js';
import { debianPgBin, startPgServer } from '../helpers/pg-server.js';

const db = usePostgres();
const PROJECT = '0123456789abcdef0123456789abcdef';
const base = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'tok' } };

describe('options', () => {
  it.each([
    ['a schema with a quote', { schema: 'a"b' }, /options\.schema must be a PostgreSQL identifier/],
    ['a schema of 64 characters', { schema: 'a'.repeat(64) }, /options\.schema/],
    ['neither pool nor connection string', {}, /needs options\.pool .* or options\.connectionString/],
    ['a pool that is not one', { pool: { query: () => undefined } }, /options\.pool must be a pg Pool/],
    ['a lease under 500 ms', { connectionString: 'postgres://x@127.0.0.1/db', leaseMs: 10 }, /options\.leaseMs must be a finite number ≥ 500/],
    ['a store', { connectionString: 'postgres://x@127.0.0.1/db', store: {} }, /options\.store is not taken/],
  ])('%s: TypeError naming it', (_, extra, message) => {
    const error = thrownBy(() => createOutbox({ ...base, ...(extra as object) }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });
});

describe.skipIf(postgresMissing)('faults', () => {
  it('connection refused: a StoreError that says so, without the password or the URL', async () => {
    const url = 'postgres://someone:s3cret-pw@127.0.0.1:1/test';
    const outbox = createOutbox({ ...base, connectionString: url });
    const error = (await outbox.enqueue(records('a')).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('StoreError');
    expect(error.message).toMatch(/cannot reach PostgreSQL \(ECONNREFUSED\)/);
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).not.toContain(url);
    await outbox.close().catch(() => undefined);
  });

  it('a database that does not exist: named as such', async () => {
    const url = pgUrl().replace(/\/[^/]*$/, '/no_such_database_wks');
    const error = (await migrate({ connectionString: url }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('StoreError');
    expect(error.message).toMatch(/the database does not exist/);
    expect(error.message).not.toContain(url);
  });

  it('migrate: false over a schema never migrated: says to run migrate()', async () => {
    const store = new PostgresStore({ pool: db.pool(1), schema: db.schema(), migrate: false });
    const error = (await store.load().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/run migrate\(\)/);
    await store.close();
  });

  it('migrate() is idempotent and concurrent first runs apply each version once', async () => {
    const pool = db.pool(8);
    const schema = db.schema();
    const runs = await Promise.all(Array.from({ length: 6 }, () => migrate({ pool, schema })));
    expect(runs.flat()).toEqual([1, 2, 3]);
    expect(await migrate({ pool, schema })).toEqual([]);
  });

  it('migrate() brings a schema of an older version up to date, and refuses one newer than it knows', async () => {
    const pool = db.pool(2);
    const schema = db.schema();
    // A schema as version 1 left it, with a row in it.
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE "${schema}".migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await pool.query(MIGRATIONS[0]!(schema));
    await pool.query(`INSERT INTO "${schema}".migrations (version) VALUES (1)`);
    const store = new PostgresStore({ pool, schema, migrate: false });
    await store.putMany([]);
    expect(await migrate({ pool, schema })).toEqual([2, 3]);
    expect(SCHEMA_VERSION).toBe(3);
    await pool.query(`INSERT INTO "${schema}".migrations (version) VALUES (99)`);
    const error = (await migrate({ pool, schema }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/version 99, newer than this library knows \(3\): upgrade wks-mail-outbox/);
    await store.close();
  });

  it('a statement timeout is a StoreError naming it; the records are stored once the table is free again', async () => {
    const schema = db.schema();
    const admin = db.pool(1);
    await migrate({ pool: admin, schema });
    const pool = new pg.Pool({ connectionString: pgUrl(), max: 2, statement_timeout: 300 });
    const outbox = createOutbox({ ...base, pool, schema });
    await outbox.counts();
    const locker = await admin.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE "${schema}".entries IN ACCESS EXCLUSIVE MODE`);
      const error = (await outbox.enqueue(records('t1')).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('StoreError');
      expect(error.message).toMatch(/a statement timed out/);
      await locker.query('ROLLBACK');
    } finally {
      locker.release();
    }
    expect((await outbox.enqueue(records('t1'))).added.length).toBe(1);
    expect((await outbox.pending()).map((entry) => entry.record.id)).toEqual(['t1']);
    await outbox.close();
    await pool.end();
  });
});

describe.skipIf(!debianPgBin())('a server that wants a password', () => {
  it('a wrong password: a StoreError that says so and shows neither password', { timeout: 60_000 }, async () => {
    const server = startPgServer({ password: 'the-right-one' });
    try {
      const wrong = server.url.replace('the-right-one', 'wr0ng-pa55');
      const outbox = createOutbox({ ...base, connectionString: wrong });
      const error = (await outbox.enqueue(records('a')).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('StoreError');
      expect(error.message).toMatch(/the password was refused/);
      expect(error.message).not.toMatch(/wr0ng-pa55|the-right-one/);
      await outbox.close().catch(() => undefined);
      const right = createOutbox({ ...base, connectionString: server.url });
      expect((await right.enqueue(records('a'))).added).toHaveLength(1);
      await right.close();
    } finally {
      server.stop();
    }
  });
});
