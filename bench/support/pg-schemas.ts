// The PostgreSQL server the postgres-* cases run against, and their throwaway schemas: each
// gets a random suffix, and every schema a case made is dropped by `dropAll()` (also on failure).
import pg from 'pg';

/** `WKS_PG_URL`, or the local server of the development machines. */
export const PG_URL = process.env['WKS_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A `pg` Pool over `PG_URL` that does not die on an idle client's error (a server restart). */
export function makePool(max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: PG_URL, max });
  pool.on('error', () => undefined);
  return pool;
}

/** Schemas of one case: `make(label)` names a fresh one, `drop`/`dropAll` remove them. */
export class PgSchemas {
  readonly #admin = makePool(1);
  readonly #made = new Set<string>();

  /** A fresh schema name (lowercase: pg-boss and graphile-worker quote it, our store checks it). */
  name(label: string): string {
    const name = `bench_${label}_${Math.random().toString(36).slice(2, 10)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    this.#made.add(name);
    return name;
  }

  /** Fails early, with the URL's host in the message, when no server answers. */
  async check(): Promise<string> {
    try {
      const { rows } = await this.#admin.query('SHOW server_version');
      return String(rows[0]?.server_version ?? '?');
    } catch (error) {
      const host = PG_URL.replace(/^[a-z]+:\/\/(?:[^@/]*@)?/, '').split('/')[0];
      throw new Error(`no PostgreSQL at ${host} (set WKS_PG_URL): ${(error as Error).message}`);
    }
  }

  async query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    return this.#admin.query(text, values);
  }

  async drop(name: string): Promise<void> {
    await this.#admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    this.#made.delete(name);
  }

  /** Drops every schema still made, then ends the admin pool. */
  async dropAll(): Promise<void> {
    try {
      for (const name of [...this.#made]) await this.drop(name).catch(() => undefined);
    } finally {
      await this.#admin.end().catch(() => undefined);
    }
  }
}
