// After a transient failure (ENOSPC) whose half line was cut back cleanly, later writes work
// again: a delete that failed can be written on a later try. And close() never hides a failed
// final flush: a write queued before close() that fails rejects its own promise (close itself
// still releases the store), and one that succeeds is on disk after close().
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore, isStoreError } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { fsError, injectJournalFaults } from '../helpers/journal-faults.js';
import { linesOf, reopenedKeys } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('after a failed write', () => {
  it('a deleteMany that failed with ENOSPC (half line cut back) succeeds when tried again', async () => {
    const root = await tempDir('failed-delete');
    const dir = join(root, 'store');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 }), bareEntry('b', { seq: 2 })]);
    const intact = await linesOf(store.journalPath);

    let failing = true;
    await injectJournalFaults(root, store.journalPath, { write: () => (failing ? { shortWriteThenFail: fsError('ENOSPC', 'write') } : undefined) });
    const error = await rejectionOf(store.deleteMany([bareEntry('a').key]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/disk full/);
    expect(await linesOf(store.journalPath), 'the half line was cut back').toEqual(intact);
    expect(keysOf((await store.load()).entries)).toEqual(keysOf([bareEntry('a'), bareEntry('b')]));

    failing = false;
    await store.deleteMany([bareEntry('a').key]);
    expect(keysOf((await store.load()).entries)).toEqual([bareEntry('b').key]);
    await store.close();
    expect(await reopenedKeys(dir)).toEqual({ keys: [bareEntry('b').key], problems: [] });
  });

  it('a write queued just before close() that fails rejects; close() still resolves and releases the lock', async () => {
    const root = await tempDir('close-failed');
    const dir = join(root, 'store');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);
    await injectJournalFaults(root, store.journalPath, { datasync: () => ({ fail: fsError('EIO', 'fdatasync') }) });

    const write = store.deleteMany([bareEntry('a').key]);
    const closing = store.close();
    const error = await rejectionOf(write);
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/EIO/);
    await closing;
    vi.restoreAllMocks();
    expect(await reopenedKeys(dir)).toEqual({ keys: [bareEntry('a').key], problems: [] });
  });

  it('writes queued just before close() are on disk when close() resolves, also before the store was ever opened', async () => {
    const dir = await tempDir('close-flushes');
    const store = new FileStore({ dir });
    const writes = [store.putMany([bareEntry('a', { seq: 1 })]), store.putMany([bareEntry('b', { seq: 2 })]), store.setMeta({ gate: 5 })];
    await store.close();
    await Promise.all(writes);
    const reopened = new FileStore({ dir });
    const { entries, meta } = await reopened.load();
    await reopened.close();
    expect(keysOf(entries)).toEqual(keysOf([bareEntry('a'), bareEntry('b')]));
    expect(meta).toEqual({ gate: 5 });
  });
});
