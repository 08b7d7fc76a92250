import { OutboxClosedError, OutboxEntrySchema, StoreError } from '../../src/index.js';
import type { OutboxEntry, QueueStore, StoreContents } from '../../src/index.js';

/** Where a MapStore keeps its data: it outlives the store object, as a database would. */
export interface MapStorage {
  entries: Map<string, OutboxEntry>;
  meta: Map<string, number>;
}

/** A QueueStore over two Maps. Copies in and out, validates before writing, refuses work once closed. */
export class MapStore implements QueueStore {
  #closed = false;
  readonly #storage: MapStorage;

  constructor(storage: MapStorage = { entries: new Map(), meta: new Map() }) {
    this.#storage = storage;
  }

  async load(): Promise<StoreContents> {
    this.#assertOpen('load');
    const { entries, meta } = this.#storage;
    return { entries: structuredClone([...entries.values()]), meta: Object.fromEntries(meta) };
  }

  async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    this.#assertOpen('putMany');
    // All or nothing: refuse what load could not read back before writing any of it.
    entries.forEach((entry, index) => {
      const result = OutboxEntrySchema.safeParse(entry);
      if (!result.success) throw new StoreError('putMany', `entry ${index} is invalid; nothing was written`);
    });
    for (const entry of structuredClone(entries)) this.#storage.entries.set(entry.key, entry);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    this.#assertOpen('deleteMany');
    for (const key of keys) this.#storage.entries.delete(key);
  }

  async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    this.#assertOpen('setMeta');
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) this.#storage.meta.delete(name);
      else this.#storage.meta.set(name, value);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new OutboxClosedError(`MapStore.${operation}`, 'the store');
  }
}
