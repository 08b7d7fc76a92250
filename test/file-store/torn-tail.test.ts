// A process that dies in the middle of an append leaves a torn last line. Opening the store
// drops it (it was never acknowledged: its promise had not resolved), cuts it from the file,
// says so, and keeps every complete line before it.
import { appendFile, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createOutbox, FileStore, type OutboxEvents } from '../../src/node.js';
import { linesOf } from '../helpers/journal-files.js';
import { PROJECT } from '../helpers/project.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

/** A store in a fresh directory holding `a`, `b`, `c` (three writes), closed again. */
async function storeWithThreeEntries(): Promise<{ dir: string; journal: string; intact: Buffer }> {
  const dir = await tempDir('torn-tail');
  const store = new FileStore({ dir });
  await store.putMany([fullEntry('a', 1)]);
  await store.putMany([bareEntry('b', { seq: 2 })]);
  await store.putMany([bareEntry('c', { seq: 3 }), bareEntry('gone', { seq: 4 })]);
  await store.deleteMany([bareEntry('gone').key]);
  await store.close();
  return { dir, journal: store.journalPath, intact: await readFile(store.journalPath) };
}

const ABC = [bareEntry('a').key, bareEntry('b').key, bareEntry('c').key].sort();

describe('a torn last line', () => {
  it('is dropped, cut from the file and reported by load(); every earlier entry loads', async () => {
    const { dir, journal, intact } = await storeWithThreeEntries();
    const half = JSON.stringify({ put: [bareEntry('torn', { seq: 5 })] });
    await appendFile(journal, half.slice(0, Math.floor(half.length / 2)));

    const store = new FileStore({ dir });
    const { entries, problems } = await store.load();
    expect(keysOf(entries)).toEqual(ABC);
    expect(entries.find((entry) => entry.key === bareEntry('a').key)).toStrictEqual(fullEntry('a', 1));
    expect(problems).toHaveLength(1);
    expect(problems?.[0]).toMatch(/torn/);
    expect(problems?.[0]).toContain(journal);
    expect(await readFile(journal), 'the journal after the repair: exactly the complete lines').toEqual(intact);
    await store.close();
  });

  it('torn inside a multi-byte character is dropped the same way', async () => {
    const { dir, journal, intact } = await storeWithThreeEntries();
    const line = Buffer.from(JSON.stringify({ put: [bareEntry('末尾😀', { seq: 5 })] }));
    const cut = line.indexOf(Buffer.from('😀')) + 2; // in the middle of the emoji's four bytes
    await appendFile(journal, line.subarray(0, cut));

    const store = new FileStore({ dir });
    const { entries, problems } = await store.load();
    expect(keysOf(entries)).toEqual(ABC);
    expect(problems).toHaveLength(1);
    expect(await readFile(journal)).toEqual(intact);
    await store.close();
  });

  it('without its newline is dropped even when its text parses (the append never completed)', async () => {
    const { dir, journal, intact } = await storeWithThreeEntries();
    await appendFile(journal, JSON.stringify({ del: [bareEntry('a').key] }));

    const store = new FileStore({ dir });
    const { entries, problems } = await store.load();
    expect(keysOf(entries)).toEqual(ABC);
    expect(problems).toHaveLength(1);
    expect(await readFile(journal)).toEqual(intact);
    await store.close();
  });

  it('does not glue the next write onto garbage: later writes survive, and the next open is clean', async () => {
    const { dir, journal } = await storeWithThreeEntries();
    await appendFile(journal, '{"put":[{"key":"0123');

    const repaired = new FileStore({ dir });
    await repaired.load();
    await repaired.putMany([bareEntry('d', { seq: 6 })]);
    await repaired.close();

    const reopened = new FileStore({ dir });
    const { entries, problems } = await reopened.load();
    expect(problems ?? []).toEqual([]);
    expect(keysOf(entries)).toEqual([...ABC, bareEntry('d').key].sort());
    expect((await linesOf(journal)).every((line) => JSON.parse(line) !== null)).toBe(true);
    await reopened.close();
  });

  it('is reported through the outbox error event, and the outbox keeps every acknowledged record', async () => {
    const dir = await tempDir('torn-tail-outbox');
    const options = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'unused-token' }, dir };
    const first = createOutbox(options);
    await first.enqueue([{ id: 'r1' }, { id: 'r2' }]);
    await first.enqueue({ id: 'r3' });
    await first.close();
    const journal = new FileStore({ dir }).journalPath;
    await appendFile(journal, '{"put":[{"key":"0123456789abcdef0123456789abcdef:r4","record":{"id":"r');

    const second = createOutbox(options);
    const errors: OutboxEvents['error'][] = [];
    second.on('error', (event) => errors.push(event));
    const pending = await second.pending();
    expect(pending.map((entry) => entry.record.id).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.during).toBe('store');
    expect(errors[0]?.error.name).toBe('StoreError');
    expect(errors[0]?.error.message).toMatch(/torn/);
    await second.close();
  });
});
