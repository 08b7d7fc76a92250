// IndexedDbStore in real Chromium: the QueueStore contract, one transaction per batch, and no
// secret in IndexedDB after the outbox has worked against the mock. The quota test is in
// test/tabs/quota.test.ts: Chromium enforces a quota override (CDP) only for an origin whose
// IndexedDB it has not opened yet, which a fresh playwright context guarantees and this page,
// shared with the other browser tests, does not.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createOutbox } from '../src/browser.js';
import { isStoreError, type Outbox, type OutboxEntry } from '../src/index.js';
import { IndexedDbStore } from '../src/store/IndexedDbStore.js';
import { bareEntry, describeQueueStoreConformance, fullEntry } from '../src/testing.js';
import { deleteDatabase, indexedDbText } from './support/read-indexeddb.js';

const uniqueName = (what: string) => `${what}-${crypto.randomUUID()}`;

describeQueueStoreConformance('IndexedDbStore (Chromium)', async () => {
  const name = uniqueName('conformance');
  const store = new IndexedDbStore({ name });
  return {
    store,
    reopen: async () => new IndexedDbStore({ name }),
    cleanup: () => deleteDatabase(store.databaseName),
  };
}, { describe, it });

/** Stores opened by one test, closed and deleted after it. */
const opened: IndexedDbStore[] = [];
function openStore(): IndexedDbStore {
  const store = new IndexedDbStore({ name: uniqueName('store') });
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) {
    await store.close().catch(() => undefined);
    await deleteDatabase(store.databaseName);
  }
});

describe('IndexedDbStore writes a batch as one transaction', () => {
  it('a putMany whose last put fails inside the transaction rejects with a StoreError and writes none of the batch', async () => {
    const store = openStore();
    await store.putMany([bareEntry('before')]);
    const batch = [bareEntry('first', { seq: 2 }), fullEntry('second', 3), bareEntry('third', { seq: 4 }), bareEntry('last', { seq: 5 })];
    // What the store writes is plain checked data, which always clones: the browser's own
    // refusal of the last put (as for a value it cannot clone) stands in for any failure there.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (String(key).endsWith(':last')) throw new DOMException('the value cannot be cloned', 'DataCloneError');
      return put.call(this, value, key);
    };
    const error = await store.putMany(batch).then(
      () => undefined,
      (caught: unknown) => caught,
    ).finally(() => {
      IDBObjectStore.prototype.put = put;
    });

    expect(isStoreError(error), `expected a StoreError, got ${String(error)}`).toBe(true);
    expect((error as Error).message).toMatch(/putMany/);
    // Give a transaction left open by the failed call every chance to commit before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reopened = new IndexedDbStore({ name: store.name });
    opened.push(reopened);
    expect((await reopened.load()).entries.map((entry) => entry.record.id)).toEqual(['before']);
    expect((await store.load()).entries.map((entry) => entry.record.id)).toEqual(['before']);
  });

  it('an entry with a field that cannot be cloned (unknown to the schema) is stored without it', async () => {
    const store = openStore();
    const odd = { ...bareEntry('odd', { seq: 1 }), record: { id: 'odd', callback: () => 'not data' }, secret: 'not for IndexedDB' };
    await store.putMany([odd as unknown as OutboxEntry]);
    const reopened = new IndexedDbStore({ name: store.name });
    opened.push(reopened);
    expect((await reopened.load()).entries).toEqual([bareEntry('odd', { seq: 1 })]);
  });
});

describe('no secret reaches IndexedDB', () => {
  const outboxes: Outbox[] = [];
  afterEach(async () => {
    for (const outbox of outboxes.splice(0)) await outbox.close();
  });

  it('after sends, a rejected record, and a 401 with another token, no token appears in any database', async () => {
    const wrongToken = `wrong-token-${crypto.randomUUID()}`;
    const open = (token: string) => {
      const outbox = createOutbox({
        name: uniqueName('secrets'),
        endpoint: inject('mockUrl'),
        projectId: inject('mockProjectId'),
        auth: { token },
        batchSize: 5,
        retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 0 },
      });
      outboxes.push(outbox);
      return outbox;
    };
    const good = open(inject('mockToken'));
    await good.enqueue([{ id: 'secret-1' }, { id: 'poison-1' }, { id: 'secret-2', account: 'someone' }]);
    const summary = await good.drain();
    expect(summary.pending).toBe(0);
    expect((await good.dead()).map((entry) => entry.record.id)).toEqual(['poison-1']);

    const unauthorised = open(wrongToken);
    const paused = new Promise((resolve) => unauthorised.on('paused', resolve));
    await unauthorised.enqueue([{ id: 'kept-after-401' }]);
    await paused;
    const [kept] = await unauthorised.pending();
    expect(kept?.lastError?.status).toBe(401);

    const text = await indexedDbText();
    expect(text).toContain('kept-after-401');
    expect(text).toContain('poison-1');
    expect(text).not.toContain(inject('mockToken'));
    expect(text).not.toContain(wrongToken);
  });
});
