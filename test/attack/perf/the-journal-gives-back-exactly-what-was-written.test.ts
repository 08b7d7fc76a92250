// Attacks on the journal's new parts (put-line.ts, journal-reader.ts, live-set.ts, text-arena.ts):
// journals mixing pre-checksum and checksummed lines, bytes flipped in place, hard strings (multi-
// byte UTF-8, lone surrogates, control characters, 100,000 characters, a multi-MiB record), many
// puts of one key, compaction then reopen, load() called several times with its results mutated,
// and putMany of entries with getters, toJSON and proxies. README promises checked: "Every string
// round-trips exactly", "Stores keep copies", "Every line written can be read back", "Recovery on
// open ... The other entries all load", checksum failures are "checked in full".
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileStore, type OutboxEntry } from '../../../src/node.js';
import { bareEntry, fullEntry } from '../../../src/testing.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { checksummedLine, plainPutLine, writeJournal } from './perf-helpers.js';

const tempDir = useTempDirs();

const HARD_STRINGS = [
  'émoji 😀 中文 ✓', // 2-, 3- and 4-byte UTF-8
  'lone \ud800 high and \udfff low', // lone surrogates (written as \u escapes)
  'nul \u0000 bell \u0007 newline \n cr \r tab \t', // control characters
  'line sep \u2028 para sep \u2029', // unescaped by JSON, line breaks elsewhere
  'quote " backslash \\ slash / and a literal \\u0041', // a literal backslash-u
  '__proto__', // the text the fast path looks for
  'x'.repeat(100_000),
];

/** An entry per hard string, each in a field of its own record. */
const hardEntries = (): OutboxEntry[] =>
  HARD_STRINGS.map((text, index) => ({ ...bareEntry(`hard-${index}`, { seq: index + 1 }), record: { id: `hard-${index}`, account: text, error_msg: text } }));

const byKey = (entries: readonly OutboxEntry[]) => [...entries].sort((a, b) => (a.key < b.key ? -1 : 1));

async function loadAll(dir: string): Promise<{ entries: OutboxEntry[]; problems: string[] }> {
  const store = new FileStore({ dir });
  try {
    const { entries, problems = [] } = await store.load();
    return { entries: byKey(entries), problems };
  } finally {
    await store.close();
  }
}

describe('hard strings round-trip exactly', () => {
  it('through putMany (one line of many, and one line each), a reopen, a compaction and another reopen', async () => {
    const dir = await tempDir('hard-strings');
    const entries = hardEntries();
    const store = new FileStore({ dir, compactSlack: 0 });
    await store.putMany(entries);
    for (const entry of entries) await store.putMany([{ ...entry, attempts: 1 }]);
    const expected = byKey(entries.map((entry) => ({ ...entry, attempts: 1 })));
    expect(byKey((await store.load()).entries)).toEqual(expected);
    await store.close();
    expect(await loadAll(dir)).toEqual({ entries: expected, problems: [] });
    expect(await loadAll(dir)).toEqual({ entries: expected, problems: [] });
  });

  it('a 6 MiB record (a slab of its own in the arena) round-trips, beside small ones', async () => {
    const dir = await tempDir('big-record');
    const big = { ...bareEntry('big', { seq: 2 }), record: { id: 'big', error_msg: 'é'.repeat(3 * 2 ** 20) } };
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('small-1', { seq: 1 }), big, bareEntry('small-2', { seq: 3 })]);
    await store.close();
    const { entries } = await loadAll(dir);
    expect(entries.map((entry) => entry.record.error_msg?.length ?? 0)).toEqual([3 * 2 ** 20, 0, 0]);
    expect(entries[0]).toEqual(big);
  });
});

describe('journals mixing lines from before checksums with checksummed ones', () => {
  it('load every entry exactly, replay in order (a later line wins whatever its kind), and load the same after the rewrite', async () => {
    const dir = await tempDir('mixed');
    const [a, b, c] = [fullEntry('a', 1), bareEntry('b', { seq: 2 }), bareEntry('c', { seq: 3 })];
    await writeJournal(
      dir,
      plainPutLine(a, b), // old: a, b
      checksummedLine({ ...a, attempts: 9 }), // new: a replaced
      plainPutLine({ ...b, attempts: 7 }), // old: b replaced
      checksummedLine(c, { ...b, attempts: 8 }), // new, two entries: c added, b replaced again
      `${JSON.stringify({ del: [c.key] })}\n`,
      plainPutLine({ ...a, attempts: 10 }),
    );
    const expected = byKey([{ ...a, attempts: 10 }, { ...b, attempts: 8 }]);
    expect(await loadAll(dir)).toEqual({ entries: expected, problems: [] });
    expect(await loadAll(dir)).toEqual({ entries: expected, problems: [] });
  });

  it('an old line with hard strings and unknown fields loads as the schema reads it', async () => {
    const dir = await tempDir('mixed-hard');
    const old = hardEntries().map((entry) => ({ ...entry, extra: 'dropped', record: { ...entry.record, unknown: 1 } }));
    await writeJournal(dir, plainPutLine(...old), checksummedLine(bareEntry('new', { seq: 99 })));
    const { entries, problems } = await loadAll(dir);
    expect(problems).toEqual([]);
    expect(entries).toEqual(byKey([...hardEntries(), bareEntry('new', { seq: 99 })]));
  });
});

describe('bytes flipped in a checksummed line', () => {
  it('a flip that breaks an entry\'s type sends the line to full validation: it is quarantined, every other entry loads', async () => {
    const dir = await tempDir('flip-type');
    const line = checksummedLine(bareEntry('victim', { seq: 2, attempts: 3 }));
    await writeJournal(dir, checksummedLine(bareEntry('before', { seq: 1 })), line.replace('"attempts":3', '"attempts":"'), checksummedLine(bareEntry('after', { seq: 3 })));
    // (the replace above cuts the JSON: a second, JSON-valid flip follows)
    const { entries, problems } = await loadAll(dir);
    expect(entries.map((entry) => entry.record.id)).toEqual(['after', 'before']);
    expect(problems.join('\n')).toMatch(/line 2\b/);

    const dir2 = await tempDir('flip-type-json');
    await writeJournal(dir2, checksummedLine(bareEntry('before', { seq: 1 })), line.replace('"attempts":3', '"attempts":true'), checksummedLine(bareEntry('after', { seq: 3 })));
    const second = await loadAll(dir2);
    expect(second.entries.map((entry) => entry.record.id)).toEqual(['after', 'before']);
    expect(second.problems.join('\n')).toMatch(/line 2\b/);
  });

  it('a flip in the checksum digits alone: the line is checked in full, loads unchanged, and the mismatch is reported', async () => {
    const dir = await tempDir('flip-crc');
    const line = checksummedLine(fullEntry('f', 1));
    const at = line.lastIndexOf('"crc":"') + 7;
    const flipped = `${line.slice(0, at)}${line[at] === '0' ? '1' : '0'}${line.slice(at + 1)}`;
    await writeJournal(dir, flipped);
    expect(await loadAll(dir)).toEqual({ entries: [fullEntry('f', 1)], problems: [expect.stringContaining('(line 1) did not match their checksum')] });
  });

  it('a line cut short before its newline by hand (JSON still valid, checksum field gone) loads by full validation', async () => {
    const dir = await tempDir('no-crc-field');
    const line = checksummedLine(bareEntry('cut', { seq: 1 }));
    await writeJournal(dir, `${line.slice(0, line.indexOf(',"v":1'))}}\n`);
    expect(await loadAll(dir)).toEqual({ entries: [bareEntry('cut', { seq: 1 })], problems: [] });
  });
});

describe('many puts of one key, then compaction and reopen', () => {
  it('the last put wins; the journal is compacted down to the live entries', async () => {
    const dir = await tempDir('one-key');
    const store = new FileStore({ dir, compactSlack: 50 });
    for (let attempt = 0; attempt < 400; attempt++) await store.putMany([{ ...bareEntry('k', { seq: 1 }), attempts: attempt }, bareEntry(`other-${attempt % 3}`, { seq: 2 + (attempt % 3) })]);
    expect((await store.load()).entries.find((entry) => entry.record.id === 'k')?.attempts).toBe(399);
    await store.close();
    const lines = (await readFile(store.journalPath, 'utf8')).split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(2 * 4 + 50);
    const { entries, problems } = await loadAll(dir);
    expect(problems).toEqual([]);
    expect(entries.map((entry) => [entry.record.id, entry.attempts])).toEqual([
      ['k', 399],
      ['other-0', 0],
      ['other-1', 0],
      ['other-2', 0],
    ]);
  });
});

describe('load() hands out copies', () => {
  it('mutating the first load (the replayed objects) or a later one changes nothing stored, in memory or on disk', async () => {
    const dir = await tempDir('load-copies');
    await writeJournal(dir, checksummedLine(fullEntry('a', 1), fullEntry('b', 2)), checksummedLine(fullEntry('c', 3)), plainPutLine(fullEntry('d', 4)));
    const expected = byKey(['a', 'b', 'c', 'd'].map((id, index) => fullEntry(id, index + 1)));
    const store = new FileStore({ dir });
    try {
      const mutate = (entries: OutboxEntry[]) => {
        for (const entry of entries) {
          entry.record.id = 'mutated';
          entry.attempts = 1234;
          if (entry.lastError) entry.lastError.message = 'mutated';
          (entry as unknown as Record<string, unknown>).key = 'mutated';
        }
      };
      const first = await store.load();
      mutate(first.entries);
      const second = await store.load();
      expect(byKey(second.entries)).toEqual(expected);
      mutate(second.entries);
      expect(byKey((await store.load()).entries)).toEqual(expected);
      // A write after the mutation, and a compaction, carry the stored values, not the mutated ones.
      await store.putMany([fullEntry('e', 5)]);
      expect(byKey((await store.load()).entries)).toEqual(byKey([...expected, fullEntry('e', 5)]));
    } finally {
      await store.close();
    }
    expect((await loadAll(dir)).entries).toEqual(byKey([...expected, fullEntry('e', 5)]));
  });
});

describe('putMany of entries that are not plain data', () => {
  it('a proxy, nested getters that change between reads and a toJSON on the record: what load gives is what a reopen gives, and it is what the schema read', async () => {
    const dir = await tempDir('put-exotic');
    let accountReads = 0;
    const record = { id: 'g', toJSON: () => ({ id: 'swapped' }) } as Record<string, unknown>;
    Object.defineProperty(record, 'account', { enumerable: true, get: () => (accountReads++ === 0 ? 'first' : 'second') });
    let seqReads = 0;
    const proxied = new Proxy(bareEntry('p', { seq: 2 }), {
      get: (target, name, receiver) => (name === 'attempts' ? seqReads++ : Reflect.get(target, name, receiver)),
    });
    const store = new FileStore({ dir });
    await store.putMany([{ ...bareEntry('g', { seq: 1 }), record } as unknown as OutboxEntry, proxied]);
    const inMemory = byKey((await store.load()).entries);
    await store.close();
    expect(inMemory.map((entry) => [entry.record.id, entry.record.account, entry.attempts])).toEqual([
      ['g', 'first', 0],
      ['p', undefined, 0],
    ]);
    expect((await loadAll(dir)).entries).toEqual(inMemory);
  });
});

describe('the journal replaced while the store is open (the synchronous stat)', () => {
  it('a journal renamed over by another file: the next write rejects, later ones are refused, the replacement is untouched', async () => {
    const dir = await tempDir('replaced');
    const store = new FileStore({ dir });
    await store.putMany([bareEntry('a', { seq: 1 })]);
    const replacement = checksummedLine(bareEntry('theirs', { seq: 1 }));
    await writeFile(`${store.journalPath}.other`, replacement);
    const { rename } = await import('node:fs/promises');
    await rename(`${store.journalPath}.other`, store.journalPath);
    await expect(store.putMany([bareEntry('b', { seq: 2 })])).rejects.toMatchObject({ name: 'StoreError' });
    await expect(store.deleteMany(['x'])).rejects.toMatchObject({ name: 'StoreError' });
    await store.close();
    expect(await readFile(store.journalPath, 'utf8')).toBe(replacement);
  });
});

describe('the arena repacked while replayed values are still held', () => {
  it('a journal of 12 MB of replaced versions and a corrupt line: open compacts and repacks; every load and a reopen give the last versions', { timeout: 30_000 }, async () => {
    const dir = await tempDir('repack');
    const version = (id: string, n: number): OutboxEntry => ({ ...bareEntry(id, { seq: id === 'k' ? 1 : 2, attempts: n }), record: { id, error_msg: `${n}:${'ß'.repeat(60_000)}` } });
    const lines: string[] = [];
    for (let n = 0; n < 100; n++) lines.push(checksummedLine(version('k', n), version('m', n)));
    lines.splice(50, 0, '{"put":[not json]}\n');
    await writeJournal(dir, ...lines);
    const expected = [version('k', 99), version('m', 99)];
    const store = new FileStore({ dir });
    try {
      const first = await store.load();
      expect(byKey(first.entries)).toEqual(expected);
      expect(first.problems?.join('\n')).toMatch(/line 51\b/);
      expect(byKey((await store.load()).entries)).toEqual(expected);
    } finally {
      await store.close();
    }
    expect(await loadAll(dir)).toEqual({ entries: expected, problems: [] });
  });
});
