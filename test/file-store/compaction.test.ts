// Compaction: a journal that holds much more than the live entries is rewritten as a snapshot
// (temp file → fsync → rename → fsync directory), so it does not grow without bound and loads
// the same. A temp file left by a crash mid-compaction is ignored and removed on open.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { linesOf } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

describe('compaction', () => {
  it('after many put/delete cycles the journal holds about the live entries, not the history', async () => {
    const dir = await tempDir('compaction');
    const slack = 20;
    const store = new FileStore({ dir, compactSlack: slack });
    const live = Array.from({ length: 10 }, (_, index) => fullEntry(`live-${index}`, index));
    await store.putMany(live);
    await store.setMeta({ gate: 123 });

    let written = 0; // bytes an append-only journal without compaction would hold
    let previous = 0;
    const afterDrops: number[] = []; // line counts seen right after the journal shrank
    for (let cycle = 0; cycle < 300; cycle++) {
      const passing = fullEntry(`passing-${cycle}`, 100 + cycle);
      await store.putMany([passing]);
      await store.deleteMany([passing.key]);
      written += JSON.stringify({ put: [passing] }).length + JSON.stringify({ del: [passing.key] }).length + 2;
      const lines = (await linesOf(store.journalPath)).length;
      // Compaction starts once lines > 2 × entries + slack, with at most 11 entries here.
      expect(lines, `journal lines after cycle ${cycle}`).toBeLessThanOrEqual(2 * (live.length + 1) + slack + 1);
      if (lines < previous) afterDrops.push(lines);
      previous = lines;
    }
    expect(afterDrops.length, 'compactions seen').toBeGreaterThanOrEqual(10);
    // A snapshot is one line per live entry plus the meta line; the cycle's own put/delete may follow.
    for (const lines of afterDrops) expect(lines).toBeLessThanOrEqual(live.length + 1 + 2);
    expect((await stat(store.journalPath)).size).toBeLessThan(written / 5);

    const { entries, meta } = await store.load();
    expect(keysOf(entries)).toEqual(keysOf(live));
    expect(meta).toStrictEqual({ gate: 123 });
    await store.close();

    const reopened = new FileStore({ dir });
    const loaded = await reopened.load();
    expect(loaded.problems ?? []).toEqual([]);
    expect([...loaded.entries].sort((a, b) => a.seq - b.seq)).toStrictEqual(live);
    expect(loaded.meta).toStrictEqual({ gate: 123 });
    await reopened.close();
  });

  it('with the default slack, 3000 changes over 10 live entries leave a journal of about 1000 lines, not 3000', async () => {
    const dir = await tempDir('compaction-default');
    const store = new FileStore({ dir });
    const live = Array.from({ length: 10 }, (_, index) => bareEntry(`live-${index}`, { seq: index }));
    await store.putMany(live);
    for (let cycle = 0; cycle < 1500; cycle++) {
      const passing = bareEntry(`passing-${cycle}`, { seq: 100 + cycle });
      await store.putMany([passing]);
      await store.deleteMany([passing.key]);
    }
    expect((await linesOf(store.journalPath)).length).toBeLessThanOrEqual(2 * live.length + 1000 + 1);
    expect(keysOf((await store.load()).entries)).toEqual(keysOf(live));
    await store.close();
  });

  it('the compacted journal is a snapshot: one put per live entry with its latest value, no deletes', async () => {
    const dir = await tempDir('compaction-snapshot');
    const store = new FileStore({ dir, compactSlack: 3 });
    await store.putMany([bareEntry('a', { seq: 1 }), bareEntry('b', { seq: 2 })]);
    for (let attempt = 1; attempt <= 10; attempt++) await store.putMany([bareEntry('a', { seq: 1, attempts: attempt })]);
    await store.deleteMany([bareEntry('b').key]);
    await store.putMany([bareEntry('c', { seq: 3 })]);
    await store.close();

    const changes = (await linesOf(store.journalPath)).map((line) => JSON.parse(line) as { put?: unknown[]; del?: unknown[] });
    const reopened = new FileStore({ dir });
    const { entries } = await reopened.load();
    await reopened.close();
    expect(entries.find((entry) => entry.key === bareEntry('a').key)?.attempts).toBe(10);
    expect(keysOf(entries)).toEqual([bareEntry('a').key, bareEntry('c').key].sort());
    expect(changes.length, JSON.stringify(changes)).toBeLessThanOrEqual(2 * 2 + 3 + 1);
  });

  it('writes made while compactions run are all kept, in memory and on disk', async () => {
    const dir = await tempDir('compaction-concurrent');
    const store = new FileStore({ dir, compactSlack: 2 });
    const keep = Array.from({ length: 40 }, (_, index) => bareEntry(`keep-${index}`, { seq: index }));
    const drop = Array.from({ length: 40 }, (_, index) => bareEntry(`drop-${index}`, { seq: 100 + index }));
    await store.putMany(drop);
    await Promise.all([
      ...keep.map((entry) => store.putMany([entry])),
      ...drop.map((entry) => store.deleteMany([entry.key])),
      ...keep.slice(0, 10).map((entry) => store.putMany([{ ...entry, attempts: 7 }])),
      ...Array.from({ length: 20 }, (_, index) => store.setMeta({ [`m${index}`]: index })),
    ]);
    const expected = keysOf(keep);
    expect(keysOf((await store.load()).entries)).toEqual(expected);
    await store.close();

    const reopened = new FileStore({ dir });
    const { entries, meta } = await reopened.load();
    await reopened.close();
    expect(keysOf(entries)).toEqual(expected);
    expect(entries.filter((entry) => entry.attempts === 7)).toHaveLength(10);
    expect(Object.keys(meta)).toHaveLength(20);
  });

  it('a journal.jsonl.tmp left by a crash mid-compaction is ignored and removed on open', async () => {
    const dir = await tempDir('compaction-leftover');
    const store = new FileStore({ dir });
    await store.putMany([fullEntry('a', 1), bareEntry('b', { seq: 2 })]);
    await store.setMeta({ gate: 7 });
    await store.close();
    const journal = await readFile(store.journalPath);
    // A half-written snapshot that disagrees with the journal (and ends in a torn line).
    await writeFile(`${store.journalPath}.tmp`, `${JSON.stringify({ put: [bareEntry('only-in-tmp')] })}\n{"put":[{"key":"x`);

    const reopened = new FileStore({ dir });
    const { entries, meta, problems } = await reopened.load();
    expect(problems ?? []).toEqual([]);
    expect(keysOf(entries)).toEqual([bareEntry('a').key, bareEntry('b').key].sort());
    expect(meta).toStrictEqual({ gate: 7 });
    expect(await readdir(dir)).not.toContain('journal.jsonl.tmp');
    expect(await readFile(reopened.journalPath)).toEqual(journal);
    await reopened.close();
  });

  it('a complete snapshot left in journal.jsonl.tmp (crash before the rename) is ignored too: the journal is the truth', async () => {
    const dir = await tempDir('compaction-before-rename');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 }), bareEntry('b', { seq: 2 })]);
    await store.deleteMany([bareEntry('a').key]);
    await store.close();
    await writeFile(`${store.journalPath}.tmp`, `${JSON.stringify({ put: [bareEntry('a', { seq: 1 })] })}\n`);

    const reopened = new FileStore({ dir });
    expect(keysOf((await reopened.load()).entries)).toEqual([bareEntry('b').key]);
    expect(await readdir(dir)).not.toContain('journal.jsonl.tmp');
    await reopened.close();
  });
});
