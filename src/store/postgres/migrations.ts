// The outbox's tables, as numbered migrations, and `migrate()`, which applies the missing ones.
import { toPgStoreError } from './pg-errors.js';
import type { PgPool } from './pg-types.js';
import { qualified } from './schema-name.js';

/**
 * Each migration's statements, in order; a migration once released never changes (a new one is
 * added). Each can run again over what it made (IF NOT EXISTS): `migrate()` re-runs them when a
 * table is missing. Times are milliseconds since the epoch on the database's clock.
 */
export const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
    CREATE TABLE IF NOT EXISTS ${qualified(s, 'entries')} (
      key text PRIMARY KEY,
      entry text NOT NULL,
      state text NOT NULL CHECK (state IN ('pending', 'dead')),
      seq bigserial NOT NULL,
      next_attempt_at double precision NOT NULL,
      lease_owner text,
      lease_until timestamptz
    );
    CREATE INDEX IF NOT EXISTS entries_claim ON ${qualified(s, 'entries')} (next_attempt_at, seq) WHERE state = 'pending';
    CREATE INDEX IF NOT EXISTS entries_owner ON ${qualified(s, 'entries')} (lease_owner) WHERE lease_owner IS NOT NULL;
    CREATE TABLE IF NOT EXISTS ${qualified(s, 'meta')} (key text PRIMARY KEY, value double precision NOT NULL);
  `,
  // Every read lists the dead rows: without this, a scan of the whole table.
  (s) => `CREATE INDEX IF NOT EXISTS entries_dead ON ${qualified(s, 'entries')} (seq) WHERE state = 'dead';`,
  // Rows that are not entries (corrupted, hand-edited) are moved here, with why, instead of blocking a worker.
  (s) => `CREATE TABLE IF NOT EXISTS ${qualified(s, 'quarantine')} (key text NOT NULL, entry text, reason text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());`,
];

/** The version `migrate()` brings a schema to. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Creates the schema and its tables, or brings them up to date: idempotent, and safe when many
 * workers start at once (they take turns on an advisory lock, in one transaction each). Runs on a
 * client of its own from `pool`, never on a caller's transaction (a rollback would undo it).
 * Resolves the versions it applied.
 * @throws StoreError (operation `migrate`) naming what failed, never the connection string.
 */
export async function migrate(pool: PgPool, schema: string): Promise<number[]> {
  let client;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toPgStoreError('migrate', error);
  }
  const applied: number[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wks-mail-outbox:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${qualified(schema, 'migrations')} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    const { rows } = await client.query(`SELECT coalesce(max(version), 0) AS version FROM ${qualified(schema, 'migrations')}`);
    const current = Number(rows[0]?.version ?? 0);
    if (current > SCHEMA_VERSION) throw new Error(`schema "${schema}" is at version ${current}, newer than this library knows (${SCHEMA_VERSION}): upgrade wks-mail-outbox`);
    // The version row says the tables are there: check, and make again what was dropped by hand.
    const { rows: [found] } = await client.query('SELECT to_regclass($1) AS entries, to_regclass($2) AS meta', [qualified(schema, 'entries'), qualified(schema, 'meta')]);
    if (current > 0 && (found?.entries === null || found?.meta === null)) {
      for (let version = 1; version <= current; version++) {
        await client.query((MIGRATIONS[version - 1] as (schema: string) => string)(schema));
        applied.push(version);
      }
    }
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      await client.query((MIGRATIONS[version - 1] as (schema: string) => string)(schema));
      await client.query(`INSERT INTO ${qualified(schema, 'migrations')} (version) VALUES ($1)`, [version]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toPgStoreError('migrate', error);
  } finally {
    client.release();
  }
}
