import type { OutboxEntry } from './entry.js';

/** Everything a store holds. */
export interface StoreContents {
  /** Every entry, pending and dead, in no particular order. */
  entries: OutboxEntry[];
  /** Small named numbers the outbox keeps beside the queue (e.g. an endpoint's backoff gate). */
  meta: Record<string, number>;
  /**
   * What the store had to repair while opening (a torn last write dropped, corrupt lines moved
   * to quarantine). The outbox reports each through its `error` event.
   */
  problems?: string[];
  /**
   * True when the store made sure every entry is one `OutboxEntrySchema` accepts, as it gives it
   * back (by running it, or by an equivalent check: the FileStore's checksummed lines pass
   * `isStoredEntryShape`); the outbox then skips its own check.
   */
  validated?: boolean;
}

/**
 * Where an outbox keeps its queue. Small on purpose: one conformance suite defines it, and every
 * implementation passes it. Check your own store with `describeQueueStoreConformance` from
 * `wks-mail-outbox/testing` (runs under vitest, `node:test` or any runner with `describe`/`it`;
 * see the README's "Writing a store").
 *
 * Each write is atomic (all or nothing) and durable when its promise resolves. Stores keep
 * copies: mutating an object after `putMany` or after `load` must not change what is stored.
 */
export interface QueueStore {
  /** Reads everything stored. */
  load(): Promise<StoreContents>;
  /** Inserts or replaces entries by `key`, atomically. */
  putMany(entries: readonly OutboxEntry[]): Promise<void>;
  /** Removes entries by key, atomically; unknown keys are ignored. */
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Sets named numbers (`undefined` removes one), atomically. */
  setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void>;
  /**
   * Optional, for a store that several outboxes send from at once (a database): stores the
   * entries whose key it holds no pending entry for (replacing a dead one), in one atomic
   * write, and resolves the keys it stored; the others were coalesced there. An outbox over
   * such a store does not send what it adds: it sends what `load` hands it (its claim).
   */
  addNew?(entries: readonly OutboxEntry[]): Promise<ReadonlySet<string>>;
  /** Releases what the store holds (files, locks, connections). Idempotent; later calls of the other methods reject. */
  close(): Promise<void>;
  /**
   * Optional: where to report trouble that no call is waiting for (e.g. a background compaction
   * that failed). The outbox passes a function that emits its `error` event.
   */
  onProblem?: ((problem: string) => void) | undefined;
}
