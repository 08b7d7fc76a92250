// When the store's directory is deleted under an open FileStore, the journal has no name any
// more: a write to it would "succeed" and be gone at the next start. The store notices (the
// journal's link count / identity, checked on every write) and rejects the write with a
// StoreError saying the journal was removed, and refuses later writes until it is reopened.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, isStoreError } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

describe('a deleted store directory', () => {
  it('rm -rf of the directory: putMany rejects with a StoreError saying the journal was removed, and so does every later write', async () => {
    const root = await tempDir('deleted-dir');
    const dir = join(root, 'store');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);

    await rm(dir, { recursive: true, force: true });
    const error = await rejectionOf(store.putMany([bareEntry('b', { seq: 2 })]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toContain(store.journalPath);
    expect(error.message).toMatch(/removed/);
    expect(error.message).toMatch(/reopen/);

    const later = await rejectionOf(store.deleteMany([bareEntry('a').key]));
    expect(isStoreError(later)).toBe(true);
    expect(later.message).toMatch(/removed/);
    await store.close();
  });

  it('a journal replaced under the store (renamed away, another file in its place) is detected the same way', async () => {
    const dir = await tempDir('replaced-journal');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);
    await rename(store.journalPath, join(dir, 'journal.old'));

    const error = await rejectionOf(store.putMany([bareEntry('b', { seq: 2 })]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/removed/);
    await store.close();
  });
});
