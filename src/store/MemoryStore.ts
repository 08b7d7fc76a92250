import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import type { OutboxEntry } from './entry.js';
import { checkedEntries } from './entry-copy.js';
import type { QueueStore, StoreContents } from './QueueStore.js';

/**
 * A store in memory: nothing survives the process. For tests, and for callers who keep
 * durability elsewhere. Keeps copies of what it checked and hands out structured clones, like a
 * real store would.
 */
export class MemoryStore implements QueueStore {
  readonly #entries = new Map<string, OutboxEntry>();
  readonly #meta = new Map<string, number>();
  #closed = false;

  async load(): Promise<StoreContents> {
    this.#assertOpen('load');
    return { entries: structuredClone([...this.#entries.values()]), meta: Object.fromEntries(this.#meta) };
  }

  async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    this.#assertOpen('putMany');
    // What is accepted here must load back (the outbox checks what a MemoryStore loads), and it
    // is what was checked: each field read once, unknown ones left behind.
    for (const entry of checkedEntries(entries, 'putMany')) this.#entries.set(entry.key, entry);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    this.#assertOpen('deleteMany');
    for (const key of keys) this.#entries.delete(key);
  }

  async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    this.#assertOpen('setMeta');
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) this.#meta.delete(key);
      else this.#meta.set(key, value);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new OutboxClosedError(`MemoryStore.${operation}`, 'the store');
  }
}
