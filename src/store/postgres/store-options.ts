// The options of a PostgresStore, their defaults and checks, and the counts it reports.
import { isPgPool, type PgPool } from './pg-types.js';
import { checkSchemaName, DEFAULT_SCHEMA } from './schema-name.js';

export interface PostgresStoreOptions {
  /** A `pg` Pool (any copy of `pg`); the store never ends it. Give this or `connectionString`. */
  readonly pool?: PgPool | undefined;
  /** Makes a pool of `poolSize` connections (needs the `pg` package); the store ends it on close. */
  readonly connectionString?: string | undefined;
  /** @default 4 */
  readonly poolSize?: number | undefined;
  /** Where the tables live. @default 'wks_mail_outbox' */
  readonly schema?: string | undefined;
  /** Run `migrate()` before the first statement. @default true */
  readonly migrate?: boolean | undefined;
  /** How long a claim holds a row without renewal; renewed every third of it. @default 15000 */
  readonly leaseMs?: number | undefined;
  /** Most pending rows this store holds at once (each `load` claims up to it). @default 10000 */
  readonly claimLimit?: number | undefined;
  /**
   * `putMany` writes only rows that exist (a row purged meanwhile stays purged) instead of
   * inserting the others. The fleet outbox sets it: its new rows go in through `addNew`, and its
   * other writes are of rows it claimed. @default false
   */
  readonly putUpdatesOnly?: boolean | undefined;
  /**
   * The furthest ahead an endpoint gate may be (the outbox's `max(retry.maxDelayMs,
   * retry.maxRetryAfterMs)`): before each claim a gate row beyond now + this is brought back to
   * it, so a gate from a wrong clock or a hand edit cannot park the fleet. @default no clamp
   */
  readonly gateHorizonMs?: number | undefined;
}

/** The whole queue's counts, for every worker. */
export interface QueueCounts {
  pending: number;
  dead: number;
  /** Pending rows some worker holds a live lease on (in its hands). */
  leased: number;
}

export const DEFAULT_LEASE_MS = 15_000;
export const DEFAULT_CLAIM_LIMIT = 10_000;

/** `value` checked (a TypeError naming `options.<name>`), or `fallback` when undefined. */
export function positive(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new TypeError(`options.${name} must be a finite number ≥ ${min}; got ${String(value)}`);
  return value;
}

/** The schema `options` name (checked, or the default), after checking that a `pool` given is a pg Pool. */
export function checkedSchemaAndPool(options: { pool?: unknown; schema?: string | undefined }): string {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  if (options.pool !== undefined && !isPgPool(options.pool)) throw new TypeError('options.pool must be a pg Pool (an object with query, connect and end)');
  return schema;
}
