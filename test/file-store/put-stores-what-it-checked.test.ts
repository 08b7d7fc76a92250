// putMany checks each entry on the object it is given and writes the JSON of what that check
// returned, so the stored text is what was checked: a getter is read once (a value that changes
// between reads cannot pass the check and then be written as something else), a `toJSON` cannot
// swap in other data, and unknown fields are not stored. What a reopen reads is what load() gave.
import { describe, expect, it } from 'vitest';
import { FileStore, isStoreError, type OutboxEntry } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { linesOf } from '../helpers/journal-files.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

/** What a fresh store over `dir` loads. */
async function reopened(dir: string): Promise<OutboxEntry[]> {
  const store = new FileStore({ dir });
  const { entries, problems = [] } = await store.load();
  await store.close();
  expect(problems).toEqual([]);
  return entries;
}

describe('putMany stores what it checked', () => {
  it('a getter that gives a valid value first and an invalid one after: the checked value is stored', async () => {
    const dir = await tempDir('put-getter');
    let reads = 0;
    const entry = { ...bareEntry('g', { seq: 1 }) } as Record<string, unknown>;
    Object.defineProperty(entry, 'attempts', { enumerable: true, get: () => (reads++ === 0 ? 2 : Number.POSITIVE_INFINITY) });
    const store = new FileStore({ dir });
    await store.putMany([entry as unknown as OutboxEntry]);
    expect(reads, 'read once').toBe(1);
    expect((await store.load()).entries[0]?.attempts).toBe(2);
    await store.close();
    expect((await reopened(dir))[0]?.attempts).toBe(2);
  });

  it('a toJSON that would write other data is not used: the checked fields are stored', async () => {
    const dir = await tempDir('put-tojson');
    const entry = { ...bareEntry('t', { seq: 1 }), toJSON: () => ({ put: 'something else' }) };
    const store = new FileStore({ dir });
    await store.putMany([entry as unknown as OutboxEntry]);
    await store.close();
    expect(await reopened(dir)).toEqual([bareEntry('t', { seq: 1 })]);
    expect((await linesOf(store.journalPath)).join('\n')).not.toContain('something else');
  });

  it('unknown fields are not stored', async () => {
    const dir = await tempDir('put-unknown');
    const store = new FileStore({ dir });
    await store.putMany([{ ...bareEntry('u', { seq: 1 }), secret: 'not for the disk' } as OutboxEntry]);
    await store.close();
    expect((await linesOf(store.journalPath)).join('\n')).not.toContain('not for the disk');
    expect(await reopened(dir)).toEqual([bareEntry('u', { seq: 1 })]);
  });

  it('a getter that throws: a StoreError naming the entry, nothing written', async () => {
    const dir = await tempDir('put-throwing-getter');
    const entry = { ...bareEntry('x', { seq: 2 }) } as Record<string, unknown>;
    Object.defineProperty(entry, 'seq', {
      enumerable: true,
      get: () => {
        throw new Error('no seq today');
      },
    });
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('kept', { seq: 1 })]);
    const error = await rejectionOf(store.putMany([bareEntry('y', { seq: 3 }), entry as unknown as OutboxEntry]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/entry 1\b.*no seq today/);
    await store.close();
    expect(await reopened(dir)).toEqual([bareEntry('kept', { seq: 1 })]);
  });
});
