// Stores that each break one promise of the QueueStore contract, to prove the suite catches it.
import { MemoryStore, type OutboxEntry, type QueueStore, type StoreContents } from '../../src/index.js';

/** `putMany` silently drops the last entry of every call. */
export class DropsLastEntryStore extends MemoryStore {
  override putMany(entries: readonly OutboxEntry[]): Promise<void> {
    return super.putMany(entries.slice(0, -1));
  }
}

/** `load` returns the entries but loses the meta. */
export class LosesMetaStore extends MemoryStore {
  override async load(): Promise<StoreContents> {
    return { ...(await super.load()), meta: {} };
  }
}

/** `close` does nothing: every method still works afterwards. */
export class IgnoresCloseStore extends MemoryStore {
  override async close(): Promise<void> {}
}

/** The broken stores by the name a test (or `BROKEN_STORE` in the node:test file) picks them with. */
export const brokenStores: Record<string, () => QueueStore> = {
  'drops-last-entry': () => new DropsLastEntryStore(),
  'loses-meta': () => new LosesMetaStore(),
  'ignores-close': () => new IgnoresCloseStore(),
};
