// The PostgreSQL of the test run (see test/setup/postgres-server.ts), and a fresh schema per
// test file, dropped at the end: tests of one run never see each other's rows.
import { afterAll } from 'vitest';
import pg from 'pg';

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export const postgresMissing: string | undefined = process.env.WKS_PG_SKIP;

/** The URL of the test run's server. */
export function pgUrl(): string {
  const url = process.env.WKS_TEST_PG_URL;
  if (!url) throw new Error(postgresMissing ?? 'WKS_TEST_PG_URL is not set: is test/setup/postgres-server.ts the global setup?');
  return url;
}

/**
 * Pools over the run's server, ended after the file's tests, and schema names that are dropped
 * then (each `schema()` call gives a new one).
 */
export function usePostgres(): { pool: (max?: number) => pg.Pool; schema: () => string } {
  const pools: pg.Pool[] = [];
  const schemas: string[] = [];
  afterAll(async () => {
    // The pools first (a session of theirs still in a transaction would block the drop), then
    // the schemas, with a lock timeout: a leftover never hangs the run.
    await Promise.race([Promise.allSettled(pools.splice(0).map((pool) => pool.end())), new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (schemas.length > 0) {
      const admin = new pg.Pool({ connectionString: pgUrl(), max: 1 });
      await admin.query("SET lock_timeout = '5s'").catch(() => undefined);
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin.end();
    }
  });
  return {
    pool: (max = 4) => {
      const pool = new pg.Pool({ connectionString: pgUrl(), max });
      pool.on('error', () => undefined); // a server restart in a test: the clients it broke are let go
      pools.push(pool);
      return pool;
    },
    schema: () => {
      const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      schemas.push(name);
      return name;
    },
  };
}
