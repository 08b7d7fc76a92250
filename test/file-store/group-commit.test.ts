// Group commit: concurrent writers share one write and one fsync, so 100 concurrent single-entry
// puts cost a handful of sync rounds, not 100, and each still resolves only once its line is on
// disk. The counting wraps the real FileHandle methods (vi.spyOn calls through): nothing is stubbed.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore } from '../../src/node.js';
import { linesOf } from '../helpers/journal-files.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

/** The FileHandle prototype, taken from a real handle. */
async function fileHandlePrototype(dir: string): Promise<{ datasync: () => Promise<void>; sync: () => Promise<void>; appendFile: (...args: never[]) => Promise<void> }> {
  const handle = await open(join(dir, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(handle);
  await handle.close();
  return prototype;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('group commit', () => {
  it('100 concurrent single-entry putMany calls cost a handful of write + sync rounds, not 100', async () => {
    const dir = await tempDir('group-commit');
    const prototype = await fileHandlePrototype(dir);
    const store = new FileStore({ dir: join(dir, 'store') });
    await store.load(); // opened and locked before counting

    const datasync = vi.spyOn(prototype, 'datasync');
    const sync = vi.spyOn(prototype, 'sync');
    const appendFile = vi.spyOn(prototype, 'appendFile');
    const entries = Array.from({ length: 100 }, (_, index) => bareEntry(`concurrent-${index}`, { seq: index + 1 }));
    await Promise.all(entries.map((entry) => store.putMany([entry])));

    const syncRounds = datasync.mock.calls.length + sync.mock.calls.length;
    expect(syncRounds, 'fsync/fdatasync calls for 100 concurrent putMany').toBeGreaterThanOrEqual(1);
    expect(syncRounds, 'fsync/fdatasync calls for 100 concurrent putMany').toBeLessThanOrEqual(5);
    expect(appendFile.mock.calls.length, 'journal writes for 100 concurrent putMany').toBeLessThanOrEqual(5);
    // One line per call: a call's change is one line, whatever group it was written in.
    expect(await linesOf(store.journalPath)).toHaveLength(100);
    await store.close();
  });

  it('each of the concurrent calls resolves only after its own line is in the journal and synced', async () => {
    const dir = await tempDir('group-commit-durable');
    const prototype = await fileHandlePrototype(dir);
    const store = new FileStore({ dir: join(dir, 'store') });
    await store.load();

    // How far the journal was when a sync of it completed: bytes up to there are durable.
    let syncedUpTo = 0;
    for (const method of ['datasync', 'sync'] as const) {
      const real = prototype[method];
      vi.spyOn(prototype, method).mockImplementation(async function (this: { stat: () => Promise<{ size: number }> }) {
        const { size } = await this.stat();
        await real.call(this);
        syncedUpTo = Math.max(syncedUpTo, size);
      });
    }

    const entries = Array.from({ length: 100 }, (_, index) => bareEntry(`durable-${index}`, { seq: index + 1 }));
    const late: string[] = [];
    await Promise.all(
      entries.map((entry) =>
        store.putMany([entry]).then(() => {
          const journal = readFileSync(store.journalPath);
          const at = journal.indexOf(JSON.stringify(entry.key));
          const lineEnd = at < 0 ? Infinity : journal.indexOf(0x0a, at) + 1;
          if (lineEnd === 0 || lineEnd > syncedUpTo) late.push(entry.key);
        }),
      ),
    );
    expect(late, 'calls that resolved before their line was written and synced').toEqual([]);
    await store.close();
  });

  it('concurrent calls take effect in the order they were made: a delete issued while the put of its key is being written deletes it', async () => {
    const dir = await tempDir('group-commit-order');
    const store = new FileStore({ dir });
    await store.load();
    const entry = bareEntry('put-then-delete');
    const putting = store.putMany([entry]); // not awaited: its write is under way
    const deleting = store.deleteMany([entry.key]);
    await Promise.all([putting, deleting]);
    expect((await store.load()).entries, 'in memory').toEqual([]);
    await store.close();

    const reopened = new FileStore({ dir });
    expect((await reopened.load()).entries, 'on disk').toEqual([]);
    await reopened.close();
  });

  it('what 100 concurrent calls stored is all there after reopen, in one line per call', async () => {
    const dir = await tempDir('group-commit-reopen');
    const entries = Array.from({ length: 100 }, (_, index) => bareEntry(`reopen-${index}`, { seq: index + 1 }));
    const store = new FileStore({ dir });
    await Promise.all(entries.map((entry) => store.putMany([entry])));
    await store.close();

    const reopened = new FileStore({ dir });
    const { entries: loaded, problems } = await reopened.load();
    expect(problems ?? []).toEqual([]);
    expect(loaded.map((entry) => entry.key).sort()).toEqual(entries.map((entry) => entry.key).sort());
    await reopened.close();
  });
});
