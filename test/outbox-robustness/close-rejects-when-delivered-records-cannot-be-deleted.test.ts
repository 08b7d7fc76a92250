// A delete that fails after a 200 (disk full) leaves delivered records in the store, so the next
// run would send them again. close() retries those deletes; if they still cannot be written it
// rejects with a StoreError saying how many delivered records may be sent again (never their
// data), after closing the store and releasing everything anyway.
import { describe, expect, it } from 'vitest';
import { isStoreError, MemoryStore, OutboxClosedError, type OutboxEntry, type QueueStore, type StoreContents } from '../../src/index.js';
import { singleOwner } from '../../src/outbox/coordinator.js';
import { createEngine, type Outbox } from '../../src/outbox/outbox.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { rejectionOf } from '../helpers/caught.js';
import { FAST_RETRY } from '../helpers/fast-retry.js';
import { useOutboxes as useHarness } from '../helpers/outboxes.js';
import { within } from '../helpers/within.js';

const { startMock } = useHarness();

/** A real MemoryStore underneath whose `deleteMany` fails (ENOSPC) its first `failures` calls. */
class DeletesFailStore implements QueueStore {
  readonly inner = new MemoryStore();
  deleteCalls = 0;
  closed = false;

  constructor(private failures: number) {}

  load(): Promise<StoreContents> {
    return this.inner.load();
  }

  putMany(entries: readonly OutboxEntry[]): Promise<void> {
    return this.inner.putMany(entries);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    this.deleteCalls++;
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return this.inner.deleteMany(keys);
  }

  setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    return this.inner.setMeta(values);
  }

  async close(): Promise<void> {
    // The MemoryStore underneath stays open, so the test can look at what is left.
    this.closed = true;
  }
}

const RECORDS = ['a', 'b', 'c'].map((id) => ({ id, account: `${id}-person@example.com` }));

/** An outbox that created `store` itself (as the node and browser entries do), so close() closes it. */
function ownedOutbox(mock: MockWorkspace, store: QueueStore, onClose: () => void): Outbox {
  // The host's coordinator is let go last in close(), as the browser's tab lock is.
  const coordinator = { ...singleOwner(), close: onClose };
  return createEngine({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY }, { makeStore: () => store, coordinator });
}

async function deliverWithFailingDelete(mock: MockWorkspace, outbox: Outbox): Promise<void> {
  const storeErrors: string[] = [];
  outbox.on('error', (event) => event.during === 'store' && storeErrors.push(event.error.message));
  await outbox.enqueue(RECORDS);
  expect(await outbox.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
  expect(mock.deliveredIds().sort()).toEqual(['a', 'b', 'c']);
  expect(storeErrors.join('\n')).toMatch(/ENOSPC/);
}

describe('close() after a delete of delivered records failed', () => {
  it('rejects with a StoreError naming how many delivered records may be sent again when the deletes keep failing, and still closes the store and releases the outbox', async () => {
    const mock = await startMock();
    const store = new DeletesFailStore(Infinity);
    let released = false;
    const outbox = ownedOutbox(mock, store, () => (released = true));
    await deliverWithFailingDelete(mock, outbox);

    const error = await within(rejectionOf(outbox.close()), 'close()', 10_000);
    expect(isStoreError(error), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/\b3 delivered records?\b/);
    expect(message).toMatch(/sent again/);
    expect(message).not.toMatch(/example\.com/); // no record data
    expect(store.deleteCalls).toBeGreaterThan(1); // close() tried again
    expect(store.closed).toBe(true);
    expect(released).toBe(true);
    expect(() => outbox.start()).toThrow(OutboxClosedError);
    // The honest state: the delivered records are still there, and the caller was told.
    expect((await store.inner.load()).entries.map((entry) => entry.record.id).sort()).toEqual(['a', 'b', 'c']);
    expect(await rejectionOf(outbox.close())).toBe(error);
  });

  for (const failures of [1, 2]) {
    it(`resolves when close() gets the deletes written (the store failed ${failures} time(s)), and closes the store`, async () => {
      const mock = await startMock();
      const store = new DeletesFailStore(failures);
      let released = false;
      const outbox = ownedOutbox(mock, store, () => (released = true));
      await deliverWithFailingDelete(mock, outbox);

      await within(outbox.close(), 'close()', 10_000);
      expect(store.closed).toBe(true);
      expect(released).toBe(true);
      expect((await store.inner.load()).entries).toEqual([]);
    });
  }

  it('rejects too for a store passed in options.store, which stays open (it belongs to the caller)', async () => {
    const mock = await startMock();
    const store = new DeletesFailStore(Infinity);
    const outbox = createEngine({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, store }, { makeStore: () => new MemoryStore() });
    await deliverWithFailingDelete(mock, outbox);
    expect(isStoreError(await within(rejectionOf(outbox.close()), 'close()', 10_000))).toBe(true);
    expect(store.closed).toBe(false);
  });
});
