import type { AuthorizationMail, AuthorizationMailInput, Language } from '../api/schemas.js';
import type { OutboxEntry } from '../store/entry.js';
import type { DrainSummary, OutboxEventName, OutboxListener, PauseReason } from './events.js';
import type { OutboxSnapshot } from './snapshot.js';
import type { OutboxStats } from './stats.js';

/** Per-call overrides of `enqueue`. */
export interface EnqueueOptions {
  /** Project of these records. @default options.projectId */
  readonly projectId?: string;
  /** `X-Language` for these records. @default options.language */
  readonly language?: Language;
}

/** What `enqueue` did with each record. */
export interface EnqueueResult {
  /** Records now stored as pending (new, or replacing a dead-lettered one of the same id). */
  added: AuthorizationMail[];
  /** Records whose id was already pending for the same project: the queued one stands. */
  coalesced: AuthorizationMail[];
}

// `Symbol.asyncDispose` is declared here rather than through the global `AsyncDisposable`, which
// only lib `esnext.disposable` (or @types/node) provides: a project with `lib: ["ES2022", "DOM"]`
// and `skipLibCheck: false` could not compile our types otherwise (issue 15). The declaration is
// the one lib.esnext.disposable and @types/node make, so the three merge without a clash.
declare global {
  interface SymbolConstructor {
    /** The well-known symbol `await using` calls (explicit resource management). */
    readonly asyncDispose: unique symbol;
  }
}

/** The outbox: see README "The outbox". */
export interface Outbox {
  /**
   * Validates the records (all or nothing) and stores them; resolves once they are durable.
   * An id already pending for the same project is coalesced; a dead-lettered one is revived.
   * @throws ValidationError naming each bad record's index and field (nothing stored).
   * @throws TypeError for a bad `projectId` or `language`; StoreError when the store refused the write.
   */
  enqueue(records: AuthorizationMailInput | readonly AuthorizationMailInput[], options?: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Sends everything pending, waiting through backoff, until nothing is pending or the outbox
   * pauses; resolves `{ sent, failed, pending }` counted over this drain. Concurrent calls share it.
   * Rejects with the signal's reason when `signal` aborts (sending goes on).
   */
  drain(options?: { signal?: AbortSignal }): Promise<DrainSummary>;
  /** Drains in the background as records arrive, until `stop()` or `close()`. */
  start(): void;
  /** Stops background draining; resolves when the request in flight has finished. */
  stop(): Promise<void>;
  /** Sends now, ignoring backoff and the endpoint gate (a "Resend now" button); resolves (and rejects on `signal`) like `drain()`. */
  flush(options?: { signal?: AbortSignal }): Promise<DrainSummary>;
  /** Stops sending (records stay queued) until `resume()`; emits `paused`. @default reason 'offline' */
  pause(reason?: PauseReason): void;
  /** Lifts a pause (whatever its reason) and sends again; emits `resumed`. */
  resume(): void;
  /** Why sending is paused, or `undefined`. */
  readonly pausedReason: PauseReason | undefined;
  /** Copies of the pending entries, oldest first (record, projectId, attempts, nextAttemptAt, lastError). */
  pending(): Promise<OutboxEntry[]>;
  /** Copies of the dead-lettered entries, with `deadReason` and `lastError`. */
  dead(): Promise<OutboxEntry[]>;
  /** Puts dead-lettered records (all, or these record ids) back in the queue with attempts and age reset; resolves how many. */
  requeue(ids?: readonly string[]): Promise<number>;
  /** Removes every dead-lettered record, or these record ids whatever their state; resolves how many. A purged record is never sent. */
  purge(ids?: readonly string[]): Promise<number>;
  /**
   * Numbers for dashboards and metrics: pending, in flight, dead, the oldest pending record's
   * age, and this instance's requests (how many, how they ended, when the last one ended).
   */
  stats(): OutboxStats;
  /** Subscribes to one event; returns the unsubscribe function. A listener that throws is reported through `error`. */
  on<E extends OutboxEventName>(event: E, listener: OutboxListener<E>): () => void;
  /**
   * Calls `listener` after the snapshot changed (batched per microtask); returns the unsubscribe
   * function. A stable bound function: `useSyncExternalStore(outbox.subscribe, outbox.getSnapshot)`.
   */
  readonly subscribe: (listener: () => void) => () => void;
  /** The current snapshot: the same object until something changes. A stable bound function. */
  readonly getSnapshot: () => OutboxSnapshot;
  /**
   * Stops, waits for the request in flight, writes deletes still owed, closes the store if the
   * outbox created it, and releases locks. Idempotent.
   * @throws StoreError when delivered records could not be deleted (they may be sent again; their ids are named).
   */
  close(): Promise<void>;
  /** `close()`, for `await using outbox = createOutbox(…)`: the outbox is an `AsyncDisposable`. */
  [Symbol.asyncDispose](): Promise<void>;
}
