// wks-mail-outbox/postgres: the queue in PostgreSQL, drained by any number of workers (processes,
// pods, machines) at once. `pg` is an optional peer dependency: pass your own Pool, or install
// `pg` for `connectionString`.
import { createEngine } from './outbox/outbox.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_RETRY, type OutboxOptions } from './outbox/options.js';
import { fleetCoordinator, stillHeld } from './fleet/fleet-coordinator.js';
import { fleetOutbox, type PostgresOutbox } from './fleet/fleet-outbox.js';
import { migrate as migrateSchema } from './store/postgres/migrations.js';
import { poolFor, type PgPool } from './store/postgres/pg-types.js';
import { PostgresStore } from './store/postgres/PostgresStore.js';
import { checkedSchemaAndPool, positive } from './store/postgres/store-options.js';

export * from './index.js';
export { PostgresStore, type PostgresStoreOptions, type QueueCounts } from './store/postgres/PostgresStore.js';
export type { PostgresOutbox, FleetEnqueueOptions } from './fleet/fleet-outbox.js';
export type { PgPool, PgClient, PgQueryable } from './store/postgres/pg-types.js';
export { SCHEMA_VERSION } from './store/postgres/migrations.js';

export interface PostgresOutboxOptions extends Omit<OutboxOptions, 'store'> {
  /** A `pg` Pool (any copy of `pg`); the outbox never ends it. Give this or `connectionString`. */
  readonly pool?: PgPool;
  /** Makes a pool (needs the `pg` package); the outbox ends it on close. Never printed. */
  readonly connectionString?: string;
  /** @default 'wks_mail_outbox' */
  readonly schema?: string;
  /** Run `migrate()` on first use. @default true */
  readonly migrate?: boolean;
  /** How long a claimed batch stays this worker's without renewal; renewed every third of it while the worker lives. @default 15000 */
  readonly leaseMs?: number;
  /** How often an idle worker looks for work when no notification came (LISTEN/NOTIFY wakes it sooner). @default 1000 */
  readonly pollMs?: number;
}

const EXTRAS = ['pool', 'connectionString', 'schema', 'migrate', 'leaseMs', 'pollMs'] as const;

/**
 * The outbox of one worker of a fleet: records go into PostgreSQL, and every worker over the same
 * schema sends, each what it has claimed. `enqueue(records, { client })` writes inside your transaction.
 * @example
 * const outbox = createOutbox({ endpoint, projectId, auth: { ak, sk }, pool });
 * outbox.start();
 */
export function createOutbox(options: PostgresOutboxOptions): PostgresOutbox {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if ('store' in options && options.store !== undefined) throw new TypeError('options.store is not taken by wks-mail-outbox/postgres: give options.pool or options.connectionString');
  const core: Record<string, unknown> = { ...options };
  for (const key of EXTRAS) delete core[key];
  const batchSize = typeof options.batchSize === 'number' ? options.batchSize : DEFAULT_BATCH_SIZE;
  const concurrency = typeof options.concurrency === 'number' ? options.concurrency : DEFAULT_CONCURRENCY;
  const pollMs = positive(options.pollMs ?? undefined, 1000, 'pollMs', 10);
  const store = new PostgresStore({
    pool: options.pool,
    connectionString: options.connectionString,
    schema: options.schema,
    migrate: options.migrate,
    leaseMs: options.leaseMs,
    // Enough for the batches in flight and the next ones, not so many that other workers idle.
    claimLimit: Math.max(1, Math.ceil(batchSize * concurrency * 2)),
    putUpdatesOnly: true,
    gateHorizonMs: Math.max(options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs, options.retry?.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs),
  });
  store.claiming = false; // until the outbox is started, drains or flushes
  const given = options.now;
  // Times from the database's clock, so the whole fleet agrees on next attempts and the gate.
  const now = given ?? (() => store.now());
  const coordinator = fleetCoordinator(store, pollMs);
  const engine = createEngine({ ...(core as unknown as OutboxOptions), now }, { makeStore: () => store, coordinator, beforeRequest: async () => coordinator.engine?.sync(), stillHeld: (entries) => stillHeld(store, entries) });
  return fleetOutbox({ engine, store, coordinated: () => coordinator.engine, projectId: options.projectId, language: options.language, drainPollMs: Math.min(pollMs, 100) });
}

/**
 * Creates or updates the outbox's tables in `schema` (idempotent, versioned; concurrent runs take
 * turns). Outboxes run it on first use unless `migrate: false`; call it from a deploy step instead.
 * Resolves the versions applied.
 */
export async function migrate(options: { pool?: PgPool; connectionString?: string; schema?: string }): Promise<number[]> {
  const schema = checkedSchemaAndPool(options);
  if (options.pool) return migrateSchema(options.pool, schema);
  if (typeof options.connectionString !== 'string') throw new TypeError('migrate needs options.pool or options.connectionString');
  const pool = await poolFor(options.connectionString, 1);
  try {
    return await migrateSchema(pool, schema);
  } finally {
    await pool.end();
  }
}
