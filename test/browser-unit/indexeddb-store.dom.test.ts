// @vitest-environment happy-dom
// IndexedDbStore under happy-dom with fake-indexeddb: the QueueStore contract, its database and
// key layout, and failures that surface as StoreError (never a throw at creation, never a hang).
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/browser.js';
import { isStoreError } from '../../src/index.js';
import { IndexedDbStore } from '../../src/store/IndexedDbStore.js';
import { deleteDatabase, uniqueName } from '../helpers/browser-outboxes.js';
import { bareEntry, describeQueueStoreConformance, fullEntry } from '../../src/testing.js';

describeQueueStoreConformance('IndexedDbStore (fake-indexeddb)', async () => {
  const name = uniqueName('conformance');
  const store = new IndexedDbStore({ name });
  return { store, reopen: async () => new IndexedDbStore({ name }), cleanup: () => deleteDatabase(store.databaseName) };
}, { describe, it });

const opened: IndexedDbStore[] = [];
function openStore(name = uniqueName('store')): IndexedDbStore {
  const store = new IndexedDbStore({ name });
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) {
    await store.close().catch(() => undefined);
    await deleteDatabase(store.databaseName);
  }
});

function rawDatabase(name: string, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains('entries')) request.result.createObjectStore('entries');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function rawEntries(db: IDBDatabase): Promise<Array<[IDBValidKey, unknown]>> {
  return new Promise((resolve, reject) => {
    const store = db.transaction('entries', 'readonly').objectStore('entries');
    const keys = store.getAllKeys();
    const values = store.getAll();
    values.onsuccess = () => resolve(keys.result.map((key, index) => [key, values.result[index]]));
    values.onerror = () => reject(values.error);
  });
}

describe('IndexedDbStore names and layout', () => {
  it('keeps outbox <name> in its own database "wks-mail-outbox:<name>", "default" when unnamed', () => {
    expect(new IndexedDbStore({ name: 'console' }).databaseName).toBe('wks-mail-outbox:console');
    expect(new IndexedDbStore().databaseName).toBe('wks-mail-outbox:default');
  });

  it('refuses an empty or non-string name with a TypeError that names it', () => {
    expect(() => new IndexedDbStore({ name: '' })).toThrow(TypeError);
    expect(() => new IndexedDbStore({ name: 42 as unknown as string })).toThrow(/name/);
  });

  it('two names are two databases that do not see each other', async () => {
    const left = openStore();
    const right = openStore();
    await left.putMany([bareEntry('only-left')]);
    await right.setMeta({ gate: 1 });
    expect((await left.load()).meta).toEqual({});
    expect((await right.load()).entries).toEqual([]);
  });

  it('stores one key per entry, so a batch of n entries is n keys', async () => {
    const store = openStore();
    await store.putMany([fullEntry('a', 1), fullEntry('b', 2), bareEntry('c', { seq: 3 })]);
    await store.setMeta({ gate: 5 });
    const db = await rawDatabase(store.databaseName);
    try {
      const pairs = await rawEntries(db);
      expect(pairs).toHaveLength(4);
      const entryValues = pairs.filter(([, value]) => typeof value === 'object').map(([, value]) => (value as { key: string }).key);
      expect(entryValues.sort()).toEqual([fullEntry('a').key, fullEntry('b').key, bareEntry('c').key].sort());
    } finally {
      db.close();
    }
  });

  it('skips a value that is not a valid entry and reports it as a problem instead of failing', async () => {
    const store = openStore();
    await store.putMany([bareEntry('good')]);
    await store.close();
    const db = await rawDatabase(store.databaseName);
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('entries', 'readwrite');
      transaction.objectStore('entries').put({ key: 'tampered', record: { id: 42 } }, `e:${bareEntry('tampered').key}`);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
    const reopened = openStore(store.name);
    const contents = await reopened.load();
    expect(contents.entries.map((entry) => entry.record.id)).toEqual(['good']);
    expect(contents.problems).toHaveLength(1);
    expect(contents.problems?.[0]).toMatch(/invalid/);
  });
});

describe('IndexedDbStore failures surface as StoreError', () => {
  it('a database that cannot be opened (a newer version exists) rejects every call with a StoreError', async () => {
    const name = uniqueName('newer');
    const newer = await rawDatabase(`wks-mail-outbox:${name}`, 7);
    newer.close();
    const store = openStore(name);
    const error = await store.load().catch((caught: unknown) => caught);
    expect(isStoreError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/open/);
    expect(isStoreError(await store.putMany([bareEntry('x')]).catch((caught: unknown) => caught))).toBe(true);
  });

  it('enqueue() on an outbox whose database cannot be opened rejects with a StoreError and keeps nothing', async () => {
    const name = uniqueName('newer-outbox');
    const newer = await rawDatabase(`wks-mail-outbox:${name}`, 7);
    newer.close();
    const outbox = createOutbox({ name, endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 't' } });
    try {
      const error = await outbox.enqueue([{ id: 'a' }]).catch((caught: unknown) => caught);
      expect(isStoreError(error), String(error)).toBe(true);
    } finally {
      await outbox.close().catch(() => undefined);
      await deleteDatabase(`wks-mail-outbox:${name}`);
    }
  });

  it('without IndexedDB, creating the store does not throw and every call rejects with a StoreError', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true, writable: true });
    try {
      const store = new IndexedDbStore({ name: uniqueName('none') });
      const error = await store.load().catch((caught: unknown) => caught);
      expect(isStoreError(error)).toBe(true);
      expect((error as Error).message).toMatch(/IndexedDB is not available/);
      await store.close();
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'indexedDB', descriptor);
    }
  });
});
