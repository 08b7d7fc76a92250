import type { UseStore } from 'idb-keyval';
import { StoreError } from '../../errors/StoreError.js';

/** The single object store of every outbox database. */
export const OBJECT_STORE = 'entries';

/**
 * An idb-keyval `UseStore` over one database of our own, with what idb-keyval's `createStore`
 * leaves out: a blocked or failing open rejects with a `StoreError` instead of hanging,
 * write transactions ask for `strict` durability (flushed to disk before they complete, so
 * `enqueue()` means durable), and the connection closes itself when another tab wants to
 * delete or upgrade the database.
 */
export function openOutboxDatabase(dbName: string, openTimeoutMs = 10_000): UseStore {
  let database: Promise<IDBDatabase> | undefined;

  const open = (): Promise<IDBDatabase> =>
    new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new StoreError('open', 'IndexedDB is not available in this environment'));
        return;
      }
      let request: IDBOpenDBRequest;
      try {
        request = indexedDB.open(dbName, 1);
      } catch (error) {
        reject(new StoreError('open', `IndexedDB refused to open "${dbName}": ${describe(error)}`, { cause: error }));
        return;
      }
      const timer = setTimeout(
        () => reject(new StoreError('open', `opening IndexedDB "${dbName}" took longer than ${openTimeoutMs} ms`)),
        openTimeoutMs,
      );
      request.onupgradeneeded = () => request.result.createObjectStore(OBJECT_STORE);
      request.onblocked = () => {
        clearTimeout(timer);
        reject(new StoreError('open', `opening IndexedDB "${dbName}" is blocked by another tab holding an older connection`));
      };
      request.onerror = () => {
        clearTimeout(timer);
        reject(new StoreError('open', `IndexedDB could not open "${dbName}": ${describe(request.error)}`, { cause: request.error }));
      };
      request.onsuccess = () => {
        clearTimeout(timer);
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          database = undefined;
        };
        db.onclose = () => {
          database = undefined;
        };
        resolve(db);
      };
    });

  return <T>(mode: IDBTransactionMode, callback: (store: IDBObjectStore) => T | PromiseLike<T>): Promise<T> => {
    database ??= open().catch((error: unknown) => {
      database = undefined;
      throw error;
    });
    return database.then((db) => {
      const transaction = db.transaction(OBJECT_STORE, mode, { durability: mode === 'readwrite' ? 'strict' : 'default' });
      try {
        return callback(transaction.objectStore(OBJECT_STORE));
      } catch (error) {
        // e.g. a DataCloneError halfway through setMany: what was put so far must not commit.
        transaction.abort();
        throw error;
      }
    });
  };
}

/** Closes the database a `UseStore` from `openOutboxDatabase` holds (used by `IndexedDbStore.close`). */
export async function closeDatabase(useStore: UseStore): Promise<void> {
  await useStore('readonly', (store) => store.transaction.db.close()).catch(() => undefined);
}

export function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) {
    const { name, message } = error as { name: string; message?: string };
    return message ? `${name}: ${message}` : name;
  }
  return String(error);
}
