import { entries as readAll, promisifyRequest, setMany, delMany, type UseStore } from 'idb-keyval';
import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import { parseStoredEntry, type OutboxEntry } from './entry.js';
import { checkedEntries } from './entry-copy.js';
import { closeDatabase, openOutboxDatabase } from './indexeddb/open-database.js';
import type { QueueStore, StoreContents } from './QueueStore.js';
import { toStoreError } from '../errors/to-store-error.js';

export interface IndexedDbStoreOptions {
  /** Name of the outbox: its database is `wks-mail-outbox:<name>`. @default 'default' */
  readonly name?: string;
}

const ENTRY = 'e:';
const META = 'm:';

/**
 * The browser's store: one IndexedDB database per outbox name (through idb-keyval), one key per
 * entry, and one transaction per call (`setMany`/`delMany`), so a batch is all or nothing.
 * Quota and open failures reject with a clear `StoreError`; nothing is dropped silently.
 */
export class IndexedDbStore implements QueueStore {
  readonly name: string;
  readonly databaseName: string;
  readonly #useStore: UseStore;
  #closed = false;

  constructor(options: IndexedDbStoreOptions = {}) {
    const name = options.name ?? 'default';
    if (typeof name !== 'string' || name === '') throw new TypeError('name must be a non-empty string');
    this.name = name;
    this.databaseName = `wks-mail-outbox:${name}`;
    this.#useStore = openOutboxDatabase(this.databaseName);
  }

  async load(): Promise<StoreContents> {
    const pairs = await this.#run('load', () => readAll(this.#useStore));
    const entries: OutboxEntry[] = [];
    const meta: Record<string, number> = {};
    let invalid = 0;
    for (const [key, value] of pairs) {
      if (typeof key !== 'string') continue;
      if (key.startsWith(META) && typeof value === 'number') meta[key.slice(META.length)] = value;
      else if (key.startsWith(ENTRY)) {
        const entry = parseStoredEntry(value);
        if (entry) entries.push(entry);
        else invalid++;
      }
    }
    return { entries, meta, problems: invalid > 0 ? [`skipped ${invalid} invalid entr${invalid === 1 ? 'y' : 'ies'} in ${this.databaseName}`] : [] };
  }

  putMany(entries: readonly OutboxEntry[]): Promise<void> {
    // IndexedDB stores structured clones: later changes to `entries` do not reach the store.
    // What is accepted must load back: `load` skips entries that fail the same check.
    return this.#run('putMany', async () => {
      // What was checked is what is cloned: each field read once, unknown ones left behind.
      await setMany(checkedEntries(entries, 'putMany').map((entry) => [ENTRY + entry.key, entry]), this.#useStore);
    });
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.#run('deleteMany', () => delMany(keys.map((key) => ENTRY + key), this.#useStore));
  }

  setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    // Sets and removals in one transaction.
    return this.#run('setMeta', () =>
      this.#useStore('readwrite', (store) => {
        for (const [key, value] of Object.entries(values)) {
          if (value === undefined) store.delete(META + key);
          else store.put(value, META + key);
        }
        return promisifyRequest(store.transaction);
      }),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeDatabase(this.#useStore);
  }

  async #run<T>(operation: string, action: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new OutboxClosedError(`IndexedDbStore.${operation}`, 'the store');
    try {
      return await action();
    } catch (error) {
      throw toStoreError(operation, error);
    }
  }
}
