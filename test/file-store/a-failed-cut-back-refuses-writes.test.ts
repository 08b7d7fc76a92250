// After a failed write the store cuts the journal back to its last complete line. When that cut
// fails too, a half line stays at the end: anything appended after it would be glued to it and
// lost on reopen. So the store refuses every further write with a StoreError that says it must
// be reopened, and reopening repairs the tail and loads everything acknowledged.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore, isStoreError } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { fsError, injectJournalFaults, type Fault } from '../helpers/journal-faults.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Fails the first call only. */
const once = (fault: Fault) => {
  let used = false;
  return () => {
    if (used) return undefined;
    used = true;
    return fault;
  };
};

describe('a failed cut-back after a failed write', () => {
  it('makes the store refuse every further write with a StoreError saying it must be reopened; reopening loads everything acknowledged', async () => {
    const root = await tempDir('cut-back');
    const dir = join(root, 'store');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);

    await injectJournalFaults(root, store.journalPath, {
      write: once({ shortWriteThenFail: fsError('ENOSPC', 'write') }),
      truncate: () => ({ fail: fsError('EIO', 'ftruncate') }),
    });
    const failed = await rejectionOf(store.putMany([bareEntry('half', { seq: 2 })]));
    expect(isStoreError(failed), `${failed.name}: ${failed.message}`).toBe(true);
    expect(failed.message).toMatch(/ENOSPC/);

    // The disk is fine again, but the half line is still there: nothing may be appended after it.
    vi.restoreAllMocks();
    for (const write of [() => store.putMany([bareEntry('b', { seq: 3 })]), () => store.deleteMany([bareEntry('a').key]), () => store.setMeta({ gate: 1 })]) {
      const refused = await rejectionOf(write());
      expect(isStoreError(refused), `${refused.name}: ${refused.message}`).toBe(true);
      expect(refused.message).toMatch(/reopen/);
      expect(refused.message).toMatch(/EIO/);
    }
    expect(keysOf((await store.load()).entries)).toEqual([bareEntry('a').key]);
    await store.close();

    const reopened = new FileStore({ dir });
    const { entries, problems = [] } = await reopened.load();
    expect(keysOf(entries)).toEqual([bareEntry('a').key]);
    expect(problems.join('\n')).toMatch(/torn/);
    await reopened.putMany([bareEntry('c', { seq: 4 })]);
    await reopened.close();
    const last = new FileStore({ dir });
    const final = await last.load();
    await last.close();
    expect(final.problems ?? []).toEqual([]);
    expect(keysOf(final.entries)).toEqual(keysOf([bareEntry('a'), bareEntry('c')]));
  });
});
