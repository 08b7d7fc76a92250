import { StoreError } from '../../errors/StoreError.js';
import type { OutboxEntry } from '../entry.js';
import { checkedEntries } from '../entry-copy.js';
import { isStoredEntryShape } from '../entry-shape.js';
import type { QueueStore, StoreContents } from '../QueueStore.js';
import { migrate } from './migrations.js';
import { pgProblem, toPgStoreError } from './pg-errors.js';
import { poolFor, type PgPool, type PgQueryable } from './pg-types.js';
import { channelOf } from './schema-name.js';
import { storeSql, type StoreSql } from './store-sql.js';
import { entryText, idText, keyText, keysOf, readRows } from './rows.js';
import { requeueDead } from './requeue-dead.js';
import { checkedSchemaAndPool, DEFAULT_CLAIM_LIMIT, DEFAULT_LEASE_MS, positive, type PostgresStoreOptions, type QueueCounts } from './store-options.js';

export type { PostgresStoreOptions, QueueCounts } from './store-options.js';
import { ChangeListener } from './change-listener.js';

/**
 * The queue in PostgreSQL, shared by any number of outboxes (workers) on any number of machines.
 * Each store is one worker: `load()` renews the rows it holds and claims more (`FOR UPDATE SKIP
 * LOCKED`, with a lease), so no row is in two workers' hands while their leases last; writes of
 * a row another worker holds are skipped; `addNew` coalesces by (project, record id) with a
 * unique key. A worker that dies lets go when its lease runs out. Times come from the
 * database's clock (`clockOffsetMs`).
 */
export class PostgresStore implements QueueStore {
  /** This worker's name on the rows it holds. */
  readonly owner = `w-${globalThis.crypto.randomUUID()}`;
  readonly schema: string;
  /**
   * Whether `load` claims more rows. A worker that is not sending (not started, stopped,
   * paused) must not sit on rows the others could send: the fleet outbox turns it off then,
   * and `releaseAll()` lets go of what it held. @default true
   */
  claiming = true;
  /** The database's clock minus this machine's, as of the last read (ms). */
  clockOffsetMs = 0;
  onProblem?: ((problem: string) => void) | undefined;
  readonly #options: PostgresStoreOptions;
  readonly #sql: StoreSql;
  readonly #channel: string;
  readonly #leaseMs: number;
  readonly #claimLimit: number;
  #pool: Promise<PgPool> | undefined;
  #renewal: ReturnType<typeof setInterval> | undefined;
  readonly #listener: ChangeListener;
  #closed = false;
  #clockKnown = false;
  /**
   * The seq of each pending row this worker was handed: its delete removes that row only, not
   * one enqueued again under the same key after a purge (whose seq is new). `putUpdatesOnly`
   * writes match the seq as well.
   */
  readonly #seqs = new Map<string, number>();

  constructor(options: PostgresStoreOptions) {
    this.schema = checkedSchemaAndPool(options);
    if (options.pool === undefined && (typeof options.connectionString !== 'string' || options.connectionString === '')) {
      throw new TypeError('PostgresStore needs options.pool (a pg Pool) or options.connectionString');
    }
    this.#leaseMs = positive(options.leaseMs, DEFAULT_LEASE_MS, 'leaseMs', 500);
    this.#claimLimit = positive(options.claimLimit, DEFAULT_CLAIM_LIMIT, 'claimLimit', 1);
    this.#options = options;
    this.#sql = storeSql(this.schema);
    this.#channel = channelOf(this.schema);
    this.#listener = new ChangeListener(this.#channel, (message) => this.onProblem?.(message));
  }

  /** How long a claim lasts without renewal (ms). */
  /** Now on the database's clock (as far as this worker has read it). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The pool, made (and the schema migrated) on first use. */
  pool(): Promise<PgPool> {
    if (!this.#pool) {
      const opening = this.#open();
      this.#pool = opening;
      // A server down at start, or a migration that failed: the next statement tries again.
      opening.catch(() => {
        if (this.#pool === opening) this.#pool = undefined;
      });
    }
    return this.#pool;
  }

  async #open(): Promise<PgPool> {
    const pool = this.#options.pool ?? (await poolFor(this.#options.connectionString as string, this.#options.poolSize ?? 4));
    if (this.#options.migrate !== false) await migrate(pool, this.schema);
    return pool;
  }

  async load(): Promise<StoreContents> {
    return this.#run('load', async (pool) => {
      if (this.#options.gateHorizonMs !== undefined) await pool.query(this.#sql.clampGates, [this.#options.gateHorizonMs]);
      const before = Date.now();
      const { rows } = await pool.query(this.#sql.claim, [this.owner, this.#leaseMs, this.claiming ? this.#claimLimit : 0]);
      const { rows: [clock] } = await pool.query(this.#sql.metaAndNow);
      const after = Date.now();
      this.#clockRead(Number(clock?.now), before, after);
      // Closed while this read ran: no renewals, no LISTEN connection (nobody would let go of
      // it, and the application's pool.end() would wait for it forever), and what the claim
      // took is let go of again.
      if (this.#closed) {
        await pool.query(this.#sql.release, [this.owner, []]).catch(() => undefined);
        throw new StoreError('load', 'the store is closed');
      }
      this.#keepRenewing();
      // LISTEN holds a connection of its own: only while this worker sends, and never the only one of a pool.
      if (this.claiming) this.#listener.listen(pool);
      else this.#listener.stop();
      const { entries, bad } = readRows(rows);
      const problems = bad.length > 0 ? [await this.#quarantine(pool, bad)] : [];
      // The first seq handed out stands until its delete: a row of the same key that replaced it
      // meanwhile (purged, enqueued again) is another record, which that delete must not remove.
      for (const entry of entries) {
        if (entry.state === 'dead') this.#seqs.delete(entry.key);
        else if (!this.#seqs.has(entry.key)) this.#seqs.set(entry.key, entry.seq);
      }
      return { entries, meta: { ...(clock?.meta as Record<string, number>) }, problems, validated: true };
    });
  }

  /** Stores the entries whose key is free or dead, for any worker to claim; resolves their keys. `client`: inside the caller's transaction. */
  async addNew(given: readonly OutboxEntry[], client?: PgQueryable): Promise<ReadonlySet<string>> {
    let entries = checkedEntries(given, 'enqueue', isStoredEntryShape);
    const write = async (on: PgQueryable) => {
      // Enqueue times on the database's clock: before this worker has read it once, read it now.
      if (!this.#clockKnown) {
        const before = Date.now();
        const { rows: [clock] } = await on.query(this.#sql.metaAndNow);
        this.#clockRead(Number(clock?.now), before, Date.now());
        const now = this.now();
        entries = entries.map((entry) => ({ ...entry, enqueuedAt: now }));
      }
      const json = JSON.stringify(entries.map((e) => ({ k: keyText(e.key), e: entryText(e), n: e.nextAttemptAt })));
      const { rows } = await on.query(this.#sql.addNew, [json, this.#channel]);
      return keysOf(rows, entries);
    };
    if (!client) return this.#run('enqueue', write);
    // The caller's transaction: not a statement on the pool first (no migrate: the app may hold
    // every connection; a schema never migrated is then an error that says to run migrate()).
    if (this.#closed) throw new StoreError('enqueue', 'the store is closed');
    try {
      return await write(client);
    } catch (error) {
      throw toPgStoreError('enqueue', error);
    }
  }

  async putMany(given: readonly OutboxEntry[]): Promise<void> {
    const entries = checkedEntries(given, 'putMany', isStoredEntryShape);
    const last = [...new Map(entries.map((entry) => [entry.key, entry])).values()];
    if (last.length === 0) return this.#run('putMany', async () => undefined);
    const json = JSON.stringify(last.map((e) => ({ k: keyText(e.key), e: entryText(e), s: e.state, q: e.seq, n: e.nextAttemptAt })));
    await this.#run('putMany', (pool) => pool.query(this.#options.putUpdatesOnly ? this.#sql.updateMany : this.#sql.putMany, [this.owner, this.#leaseMs, json]));
    for (const entry of last) if (entry.state === 'dead') this.#seqs.delete(entry.key);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    const anySeq: string[] = [];
    const atSeq: Array<{ k: string; q: number }> = [];
    for (const key of keys) {
      const seq = this.#seqs.get(key);
      if (seq === undefined) anySeq.push(keyText(key));
      else atSeq.push({ k: keyText(key), q: seq });
    }
    await this.#run('deleteMany', async (pool) => {
      if (keys.length > 0) await pool.query(this.#sql.deleteMany, [anySeq, JSON.stringify(atSeq)]);
    });
    for (const key of keys) this.#seqs.delete(key);
  }

  async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    const removed: string[] = [];
    const set: Array<[string, number]> = [];
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) removed.push(key);
      else if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError('setMeta', `meta value ${JSON.stringify(key)} must be a finite number; nothing was written`);
      else set.push([key, value]);
    }
    await this.#run('setMeta', (pool) => pool.query(this.#sql.setMeta, [removed, set.map(([key]) => key), set.map(([, value]) => value), this.#channel]));
  }

  /**
   * Puts dead rows (all, or these record ids) back as pending, unleased, attempts and age reset
   * on the database's clock, in one transaction; a row another call is requeueing at the same
   * moment is skipped (it is counted once). Resolves how many.
   */
  requeue(ids?: readonly string[]): Promise<number> {
    return this.#run('requeue', (pool) => requeueDead(pool, this.#sql, ids, this.#channel));
  }

  /** Removes every dead row, or the rows of these record ids whatever their state or holder; resolves how many. */
  purge(ids?: readonly string[]): Promise<number> {
    const wanted = ids === undefined ? null : ids.map(idText);
    return this.#run('purge', async (pool) => Number((await pool.query(this.#sql.purge, [wanted])).rows[0]?.count ?? 0));
  }

  /** Counts of the whole queue, every worker's rows. */
  counts(): Promise<QueueCounts> {
    return this.#run('load', async (pool) => {
      const { rows: [row] } = await pool.query(this.#sql.counts);
      return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0), leased: Number(row?.leased ?? 0) };
    });
  }

  /** Every row in `state`, whoever holds it, oldest first. */
  rows(state: 'pending' | 'dead'): Promise<OutboxEntry[]> {
    return this.#run('load', async (pool) => readRows((await pool.query(this.#sql.rowsIn, [state])).rows).entries);
  }

  /** Moves rows that are not entries out of the queue (to the table `quarantine`, with why); says so. */
  async #quarantine(pool: PgPool, keys: string[]): Promise<string> {
    const reason = 'not an outbox entry (corrupted or edited by hand)';
    await pool.query(this.#sql.quarantine, [keys, reason]);
    return `${keys.length} row(s) of "${this.schema}".entries ${reason} moved to "${this.schema}".quarantine: ${keys.slice(0, 5).join(', ')}`;
  }

  /** Calls `onChange` when any worker adds rows or changes meta (LISTEN/NOTIFY); at most one watcher. */
  watch(onChange: () => void): void {
    this.#listener.watch(onChange);
  }

  /** Lets go of every row this worker holds (the others may claim them at once). */
  async releaseAll(except: readonly string[] = []): Promise<void> {
    await this.#run('release', (pool) => pool.query(this.#sql.release, [this.owner, except.map(keyText)]));
  }

  /**
   * Which of these rows this worker still holds, at the seq it was handed (renewed on the way):
   * before a request, so that a batch whose lease another worker took over is not sent twice.
   */
  async confirm(entries: ReadonlyArray<{ key: string; seq: number }>): Promise<ReadonlySet<string>> {
    const json = JSON.stringify(entries.map((entry) => ({ k: keyText(entry.key), q: entry.seq })));
    const { rows } = await this.#run('confirm', (pool) => this.#renewOn(pool).query(this.#sql.confirm, [this.owner, this.#leaseMs, json]));
    return keysOf(rows, entries);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#renewal);
    this.#listener.stop();
    const pool = await this.#pool?.catch(() => undefined);
    if (!pool) return;
    try {
      // What this worker held is free at once for the others, instead of after its lease.
      await pool.query(this.#sql.release, [this.owner, []]);
    } catch (error) {
      this.onProblem?.(pgProblem('letting go of its rows on close', error));
    } finally {
      if (!this.#options.pool) await pool.end().catch(() => undefined);
    }
  }

  async #run<T>(operation: string, work: (pool: PgPool) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreError(operation, 'the store is closed');
    try {
      return await work(await this.pool());
    } catch (error) {
      throw toPgStoreError(operation, error);
    }
  }

  /** Renews this worker's leases every third of a lease, while it is open (a request in flight keeps its rows). */
  #clockRead(databaseNow: number, before: number, after: number): void {
    if (!Number.isFinite(databaseNow)) return;
    this.clockOffsetMs = databaseNow - (before + after) / 2;
    this.#clockKnown = true;
  }

  /** Leases are renewed on the listening connection when there is one: a pool the application keeps busy must not let them run out. */
  #renewOn(pool: PgPool): PgQueryable {
    return this.#listener.connection ?? pool;
  }

  #keepRenewing(): void {
    if (this.#renewal) return;
    this.#renewal = setInterval(() => {
      // Not sending (stopped, paused): the leases lapse, and the rows go to the workers that send.
      if (!this.claiming) return;
      void this.#run('renew', (pool) => this.#renewOn(pool).query(this.#sql.renew, [this.owner, this.#leaseMs])).catch((error: unknown) => this.onProblem?.(pgProblem('renewing its leases', error)));
    }, this.#leaseMs / 3);
    (this.#renewal as { unref?: () => void }).unref?.();
  }
}
