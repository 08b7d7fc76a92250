import type { OutboxEntry } from '../store/entry.js';
import type { QueueStore } from '../store/QueueStore.js';
import { toStoreError } from '../errors/to-store-error.js';

/** One change to persist. */
export interface StoreChange {
  put?: readonly OutboxEntry[];
  delete?: readonly string[];
  meta?: Readonly<Record<string, number | undefined>>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  /** The store calls this change needs: it fails only if one of these fails. */
  needs: { put: boolean; delete: boolean; meta: boolean };
}

/**
 * Serialises the outbox's writes and merges those that arrive while one is under way into a
 * single `putMany` / `deleteMany` / `setMeta` round (group commit at the outbox's level), so
 * 100 concurrent enqueues cost a handful of store writes. Later changes to a key win.
 */
export class StoreWriter {
  readonly #store: QueueStore;
  #puts = new Map<string, OutboxEntry>();
  #deletes = new Set<string>();
  #meta: Record<string, number | undefined> = {};
  #waiters: Waiter[] = [];
  #running: Promise<void> | undefined;
  /** Counts the changes that carried meta values: a read of the store older than one must not undo it. */
  metaChanges = 0;

  constructor(store: QueueStore) {
    this.#store = store;
  }

  /** Persists `change` (merged with concurrent ones); resolves once it is durable. */
  write(change: StoreChange): Promise<void> {
    if ((change.put?.length ?? 0) + (change.delete?.length ?? 0) === 0 && Object.keys(change.meta ?? {}).length === 0) {
      return this.idle();
    }
    if (Object.keys(change.meta ?? {}).length > 0) this.metaChanges++;
    for (const entry of change.put ?? []) {
      this.#deletes.delete(entry.key);
      this.#puts.set(entry.key, entry);
    }
    for (const key of change.delete ?? []) {
      this.#puts.delete(key);
      this.#deletes.add(key);
    }
    Object.assign(this.#meta, change.meta);
    const needs = { put: (change.put?.length ?? 0) > 0, delete: (change.delete?.length ?? 0) > 0, meta: Object.keys(change.meta ?? {}).length > 0 };
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject, needs }));
    this.#running ??= this.#drain();
    return done;
  }

  /** Resolves when every write asked for so far has settled. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    // Yield first: `#running ??= this.#drain()` must be assigned before this can clear it.
    await Promise.resolve();
    while (this.#waiters.length > 0) {
      const puts = [...this.#puts.values()];
      const deletes = [...this.#deletes];
      const meta = this.#meta;
      const waiters = this.#waiters;
      this.#puts = new Map();
      this.#deletes = new Set();
      this.#meta = {};
      this.#waiters = [];
      // Each call on its own: a failed delete must not fail an enqueue whose put is durable.
      const failed = {
        put: puts.length > 0 ? await this.#attempt('putMany', () => this.#store.putMany(puts)) : undefined,
        delete: deletes.length > 0 ? await this.#attempt('deleteMany', () => this.#store.deleteMany(deletes)) : undefined,
        meta: Object.keys(meta).length > 0 ? await this.#attempt('setMeta', () => this.#store.setMeta(meta)) : undefined,
      };
      for (const waiter of waiters) {
        const error = (waiter.needs.put && failed.put) || (waiter.needs.delete && failed.delete) || (waiter.needs.meta && failed.meta);
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
    }
    this.#running = undefined;
  }

  /** Runs one store call; returns its error (as a library error) or undefined. */
  async #attempt(operation: string, run: () => Promise<void>): Promise<Error | undefined> {
    try {
      await run();
      return undefined;
    } catch (error) {
      return toStoreError(operation, error);
    }
  }
}
