// What a FileStore accepts on putMany it loads back: an entry that its own load would refuse
// (a non-finite number, which JSON writes as null) or a change longer than the journal's longest
// readable line is refused with a StoreError naming it, and nothing of that call is written, so
// every earlier entry still loads, after a reopen and after a compaction.
import { describe, expect, it } from 'vitest';
import { FileStore, isStoreError, type OutboxEntry } from '../../src/node.js';
import { MAX_LINE_BYTES } from '../../src/store/file/journal-limits.js';
import { rejectionOf } from '../helpers/caught.js';
import { linesOf, reopenedKeys } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

/** `fullEntry(id)` whose lastError.retryAfterMs is `value`. */
function withRetryAfter(id: string, value: number, seq: number): OutboxEntry {
  const entry = fullEntry(id, seq);
  return { ...entry, lastError: { ...(entry.lastError as NonNullable<OutboxEntry['lastError']>), retryAfterMs: value } };
}

describe('putMany refuses what load would refuse', () => {
  for (const [what, value] of [
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN', Number.NaN],
  ] as const) {
    it(`an entry with lastError.retryAfterMs ${what} is refused with a StoreError naming it; nothing is written; earlier entries load after reopen and after compaction`, async () => {
      const dir = await tempDir('put-refuses');
      const store = new FileStore({ dir, compactSlack: 2 });
      const earlier = [fullEntry('a', 1), bareEntry('b', { seq: 2 })];
      await store.putMany(earlier);
      const before = await linesOf(store.journalPath);

      const error = await rejectionOf(store.putMany([bareEntry('c', { seq: 3 }), withRetryAfter('bad', value, 4)]));
      expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
      expect(error.operation).toBe('putMany');
      expect(error.message).toMatch(/entry 1\b/);
      expect(error.message).toMatch(/lastError\.retryAfterMs/);
      expect(await linesOf(store.journalPath), 'nothing of the refused call is written').toEqual(before);
      expect(keysOf((await store.load()).entries)).toEqual(keysOf(earlier));
      await store.close();

      expect(await reopenedKeys(dir)).toEqual({ keys: keysOf(earlier), problems: [] });

      // Compactions (slack 2) rewrite the journal from memory: the refused entry is not there either.
      const again = new FileStore({ dir, compactSlack: 2 });
      let compacted = false;
      for (let cycle = 0, lines = 0; cycle < 20 && !compacted; cycle++) {
        await again.putMany([bareEntry(`passing-${cycle}`, { seq: 10 + cycle })]);
        await again.deleteMany([bareEntry(`passing-${cycle}`).key]);
        const now = (await linesOf(again.journalPath)).length;
        compacted = now < lines;
        lines = now;
      }
      expect(compacted, 'the journal was compacted').toBe(true);
      await again.close();
      expect(await reopenedKeys(dir)).toEqual({ keys: keysOf(earlier), problems: [] });
    });
  }

  it(`a change whose line would be longer than the journal's maximum (${MAX_LINE_BYTES} bytes) is refused with a StoreError; nothing is written`, async () => {
    const dir = await tempDir('put-too-long');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);
    const before = await linesOf(store.journalPath);

    const huge = bareEntry('huge', { seq: 2, record: { id: 'huge', error_msg: 'x'.repeat(MAX_LINE_BYTES) } });
    const error = await rejectionOf(store.putMany([huge]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toContain(`longer than ${MAX_LINE_BYTES} bytes`);
    expect(await linesOf(store.journalPath)).toEqual(before);
    await store.putMany([bareEntry('after', { seq: 3 })]);
    await store.close();
    expect(await reopenedKeys(dir)).toEqual({ keys: keysOf([bareEntry('a'), bareEntry('after')]), problems: [] });
  });
});
