// Reads back everything this origin keeps in IndexedDB: every database, every object store,
// every key and value. Used by the browser tests (vitest browser mode and the multi-tab page) to
// search the stored bytes for secrets. Browser-only: it runs in the page.

/** One stored pair, as plain data. */
export interface DumpedPair {
  database: string;
  objectStore: string;
  key: unknown;
  value: unknown;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openExisting(name: string): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name);
    // A database listed by databases() exists: no upgrade should run, and none must be blocked.
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`opening ${name} to read it was blocked`));
  });
}

/** Every key and value of every object store of every database of this origin. */
export async function dumpIndexedDb(): Promise<DumpedPair[]> {
  const pairs: DumpedPair[] = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await openExisting(info.name);
    try {
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        keys.forEach((key, index) => pairs.push({ database: info.name as string, objectStore: storeName, key, value: values[index] }));
      }
    } finally {
      db.close();
    }
  }
  return pairs;
}

/**
 * All of it as one string to search: database and store names, keys, and values with every
 * property name and string, whatever the nesting (functions cannot be stored, so none appear).
 */
export async function indexedDbText(): Promise<string> {
  const pairs = await dumpIndexedDb();
  return pairs.map((pair) => JSON.stringify(pair, searchable)).join('\n');
}

/** A JSON replacer that keeps what plain JSON would hide: Map and Set contents, bytes as text, bigints. */
function searchable(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Map) return [...value.entries()];
  if (value instanceof Set) return [...value.values()];
  if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
  if (ArrayBuffer.isView(value)) return new TextDecoder().decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (value instanceof Blob) return `[Blob ${value.size} bytes]`;
  return value;
}

/** Deletes one database; resolves once it is gone (open connections are asked to close). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}
