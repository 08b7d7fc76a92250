// The little of node-postgres (`pg`) the store uses, as structural types: the caller's `pg` may
// be another copy than ours (or none: browser and edge users never install it), so nothing here
// checks `instanceof`, and the package is imported only to make a pool from a connection string.

/** Anything that runs a parameterised query: a `pg` Pool or a client checked out of one. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number | null }>;
}

/** A client checked out of a pool. */
export interface PgClient extends PgQueryable {
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: { channel: string; payload?: string | undefined }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners?(event?: string): unknown;
}

/** A `pg` Pool (or anything shaped like one). */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgClient>;
  end(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

/** True for a value shaped like a `pg` Pool (`query`, `connect` and `end` functions). */
export function isPgPool(value: unknown): value is PgPool {
  const pool = value as Partial<PgPool> | null;
  return typeof pool === 'object' && pool !== null && typeof pool.query === 'function' && typeof pool.connect === 'function' && typeof pool.end === 'function';
}

/** True for a value that can run a query (a client handed to `enqueue(records, { client })`). */
export function isPgQueryable(value: unknown): value is PgQueryable {
  return typeof value === 'object' && value !== null && typeof (value as Partial<PgQueryable>).query === 'function';
}

/**
 * A pool over `connectionString`, from the `pg` package (an optional peer dependency).
 * @throws Error saying to install `pg` when it is missing.
 */
export async function poolFor(connectionString: string, max: number): Promise<PgPool> {
  let pg: { default?: { Pool: new (config: object) => PgPool }; Pool?: new (config: object) => PgPool };
  try {
    pg = (await import('pg')) as typeof pg;
  } catch {
    throw new Error('wks-mail-outbox/postgres needs the `pg` package for `connectionString`: npm install pg (or pass your own `pool`)');
  }
  const Pool = pg.Pool ?? pg.default?.Pool;
  if (!Pool) throw new Error('the installed `pg` package has no Pool');
  const pool = new Pool({ connectionString, max });
  // An idle connection the server cut (a restart) is an error event: without a listener, the
  // process would die; the pool drops that client and the next query connects again.
  pool.on?.('error', () => undefined);
  return pool;
}
