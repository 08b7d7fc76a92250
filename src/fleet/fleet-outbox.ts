// The outbox of one worker of a PostgreSQL fleet: the engine (events, sending, snapshot) over a
// PostgresStore, with what only the database can answer for the whole fleet: `drain()` ends when
// no worker has anything pending, `pending()`/`dead()`/`counts()` list every row, and
// `enqueue(records, { client })` joins the caller's transaction.
import type { AuthorizationMailInput } from '../api/schemas.js';
import { validateRecords } from '../api/validate-records.js';
import { untilAborted } from '../api/until-aborted.js';
import { parseEnqueueOptions } from '../options/outbox-options.js';
import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import { entryKey } from '../store/entry.js';
import { addToSharedStore } from '../outbox/shared-add.js';
import type { DrainSummary } from '../outbox/events.js';
import type { EnqueueOptions, EnqueueResult, Outbox } from '../outbox/outbox-interface.js';
import type { CoordinatedEngine } from '../outbox/coordinator.js';
import type { PgQueryable } from '../store/postgres/pg-types.js';
import { isPgQueryable } from '../store/postgres/pg-types.js';
import { pgProblem, toPgStoreError } from '../store/postgres/pg-errors.js';
import type { PostgresStore, QueueCounts } from '../store/postgres/PostgresStore.js';

/** `enqueue` options of a fleet worker. */
export interface FleetEnqueueOptions extends EnqueueOptions {
  /**
   * A `pg` client inside your transaction: the records are written with it and become visible
   * (and are sent) only if that transaction commits. No `enqueued` event: the outcome of the
   * transaction is not known here.
   */
  readonly client?: PgQueryable;
}

/** The outbox of one worker of a fleet that shares a PostgreSQL queue. */
export interface PostgresOutbox extends Outbox {
  enqueue(records: AuthorizationMailInput | readonly AuthorizationMailInput[], options?: FleetEnqueueOptions): Promise<EnqueueResult>;
  /** Counts of the whole queue (every worker's rows). */
  counts(): Promise<QueueCounts>;
  /** The store this worker claims from. */
  readonly store: PostgresStore;
}

interface FleetParts {
  engine: Outbox;
  store: PostgresStore;
  coordinated: () => CoordinatedEngine | undefined;
  projectId: string;
  language: EnqueueOptions['language'];
  /** How often `drain()` looks at the fleet's counts while other workers still hold rows. */
  drainPollMs: number;
}

/** How long `drain()` keeps asking for the fleet's pending count while the database cannot answer. */
const COUNT_STREAK_MS = 3_000;

export function fleetOutbox(parts: FleetParts): PostgresOutbox {
  const { engine, store } = parts;
  let closing = false;
  // What this worker delivered and dead-lettered, counted from the outcomes themselves: the
  // engine's drain counts only from its own call, and a fleet drain is several of those.
  const done = { sent: 0, failed: 0 };
  // And what is in a request right now (the snapshot forgets it on a pause; this must not).
  const inFlight = new Set<string>();
  engine.on('sending', ({ records, projectId }) => records.forEach((record) => inFlight.add(entryKey(projectId, record.id))));
  engine.on('sent', ({ record, projectId }) => void (done.sent++, inFlight.delete(entryKey(projectId, record.id))));
  engine.on('failed', ({ record, projectId }) => void (done.failed++, inFlight.delete(entryKey(projectId, record.id))));
  engine.on('retrying', ({ record, projectId }) => void inFlight.delete(entryKey(projectId, record.id)));
  const closeController = new AbortController();
  const close = () => {
    closing = true;
    closeController.abort(new OutboxClosedError('drain'));
    return engine.close();
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // A worker claims rows only while it sends (started, or in a drain or flush) and is not
  // paused; otherwise it holds none, so a producer or a stopped worker never keeps rows from the others.
  let started = false;
  let draining = 0;
  const sync = () => parts.coordinated()?.sync();
  async function claimOrLetGo(): Promise<void> {
    const claiming = (started || draining > 0) && !engine.pausedReason && !closing;
    if (claiming === store.claiming) return;
    store.claiming = claiming;
    // What is in a request right now stays this worker's until the request ends (its lease then
    // lapses unless the worker sends again): another worker must not send it meanwhile.
    if (!claiming) await store.releaseAll([...inFlight]).catch(() => undefined);
    await sync();
  }
  engine.on('paused', () => void claimOrLetGo());
  engine.on('resumed', () => void claimOrLetGo());

  // Since when counting the whole queue has failed (shared by concurrent drains: one report a streak).
  let countFailingSince: number | undefined;

  /** `store.counts()`, given up (rejected) after `COUNT_STREAK_MS` without an answer, on `signal`, or on close. */
  async function boundedCount(signal: AbortSignal | undefined): Promise<QueueCounts> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(toPgStoreError('load', new Error(`no answer to counting the queue within ${COUNT_STREAK_MS} ms`))), COUNT_STREAK_MS);
    try {
      return await untilAborted(store.counts(), deadline.signal, closeController.signal, signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * How many rows of the whole queue are pending; `undefined` when the database cannot say right
   * now (too many connections, a restart, no answer in time): the first failure of a streak is
   * reported as the store's trouble and the drain asks again after a poll, as sending itself
   * goes on through such faults. A streak of `COUNT_STREAK_MS` (the database gone, not busy) is
   * thrown; so is the signal's reason when it aborts.
   */
  async function fleetPending(signal: AbortSignal | undefined): Promise<number | undefined> {
    try {
      const { pending } = await boundedCount(signal);
      countFailingSince = undefined;
      return pending;
    } catch (error) {
      signal?.throwIfAborted();
      if (closing) return undefined;
      const now = performance.now();
      if (countFailingSince !== undefined && now - countFailingSince >= COUNT_STREAK_MS) throw error;
      if (countFailingSince === undefined) store.onProblem?.(pgProblem('counting the queue', error));
      countFailingSince ??= now;
      return undefined;
    }
  }

  /** Until the whole queue has nothing pending; `flush`: each claim made due now (the gate lifted). */
  async function drain(options: { signal?: AbortSignal; flush?: boolean } = {}): Promise<DrainSummary> {
    const start = { ...done };
    draining++;
    try {
      await claimOrLetGo();
      for (;;) {
        await sync();
        const own = await (options.flush ? engine.flush(options) : engine.drain(options));
        const pending = await fleetPending(options.signal);
        // (The fleet's count unknown: this worker's own view is what can be said.)
        if (pending === 0 || engine.pausedReason || closing) return { sent: done.sent - start.sent, failed: done.failed - start.failed, pending: pending ?? own.pending };
        options.signal?.throwIfAborted();
        await sleep(parts.drainPollMs);
      }
    } finally {
      draining--;
      await claimOrLetGo();
    }
  }

  async function enqueue(input: AuthorizationMailInput | readonly AuthorizationMailInput[], options: FleetEnqueueOptions = {}): Promise<EnqueueResult> {
    const { client, ...rest } = options;
    if (client === undefined) return engine.enqueue(input, rest);
    if (closing) throw new OutboxClosedError('enqueue');
    if (!isPgQueryable(client)) throw new TypeError('options.client must be a pg client (an object with query)');
    const given = parseEnqueueOptions(rest);
    const records = validateRecords(input);
    const projectId = given.projectId ?? parts.projectId;
    const language = given.language ?? parts.language;
    // The seq is the database's (a column); the time its clock's (the store stamps it if unread yet).
    const entry = { projectId, language, enqueuedAt: store.now(), seq: () => 0 };
    const { added, coalesced } = await addToSharedStore((entries) => store.addNew(entries, client), records, entry);
    return { added: added.map((made) => made.record), coalesced };
  }

  return {
    store,
    enqueue,
    drain: (options) => drain({ signal: options?.signal }),
    counts: () => store.counts(),
    pending: () => store.rows('pending'),
    dead: () => store.rows('dead'),
    get pausedReason() {
      return engine.pausedReason;
    },
    start: () => {
      engine.start();
      started = true;
      void claimOrLetGo();
    },
    stop: async () => {
      started = false;
      await engine.stop();
      await claimOrLetGo();
    },
    flush: (options) => drain({ signal: options?.signal, flush: true }),
    pause: (reason) => engine.pause(reason),
    resume: () => engine.resume(),
    requeue: async (ids) => {
      if (closing) throw new OutboxClosedError('requeue');
      // In the database, unleased: whichever worker claims them sends them.
      const count = await store.requeue(ids);
      await sync();
      return count;
    },
    purge: async (ids) => {
      if (closing) throw new OutboxClosedError('purge');
      // In the database, whoever holds the rows; then this worker forgets them (a request in
      // flight with one of them writes nothing back: its writes only update rows that exist).
      const count = await store.purge(ids);
      await sync();
      return count;
    },
    stats: () => engine.stats(),
    on: (event, listener) => engine.on(event, listener),
    subscribe: engine.subscribe,
    getSnapshot: engine.getSnapshot,
    close,
    [Symbol.asyncDispose]: close,
  };
}
