// Every put line this version writes carries its format version and a CRC-32 of its bytes
// (`{"put":[…],"v":1,"crc":"<8 hex>"}`). On open, a line whose checksum holds is exactly what
// putMany checked and wrote, so it is applied without checking its entries again; and what it
// gives back is exactly what was written, for any characters, after a reopen and a compaction.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore, type OutboxEntry } from '../../src/node.js';
import { OutboxEntrySchema } from '../../src/store/entry.js';
import { crc32 } from '../../src/store/file/crc32.js';
import { readJournal } from '../../src/store/file/journal-reader.js';
import { linesOf, putLine } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
afterEach(() => {
  vi.restoreAllMocks();
  delete (Object.prototype as Record<string, unknown>).polluted;
});

const FRAMED = /^(\{"put":\[.*\]),"v":1,"crc":"([0-9a-f]{8})"\}$/;

/** Entries with text of many kinds: multi-byte characters, quotes, backslashes, tabs, newlines. */
function variedEntries(): OutboxEntry[] {
  const odd = bareEntry('odd "quoted" \\ back\tslash', { seq: 3, record: { id: 'odd "quoted" \\ back\tslash', account: 'line\nbreak' } });
  return [fullEntry('記録-😀', 1), bareEntry('ß€', { seq: 2, record: { id: 'ß€', error_msg: 'ö'.repeat(500) } }), odd];
}

describe('a checksummed put line', () => {
  it('is written for every put, with "v":1 and the CRC-32 of the bytes before it', async () => {
    const dir = await tempDir('crc-written');
    const store = new FileStore({ dir });
    await store.putMany(variedEntries());
    await store.putMany([bareEntry('single', { seq: 4 })]);
    await store.close();
    const lines = await linesOf(store.journalPath);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const [, body, digits] = FRAMED.exec(line) ?? [];
      expect(body, line).toBeDefined();
      expect(crc32(Buffer.from(body as string))).toBe(Number.parseInt(digits as string, 16));
      // Still one JSON change, as readers from before checksums expect.
      expect(Array.isArray((JSON.parse(line) as { put: unknown }).put)).toBe(true);
    }
  });

  it('gives back exactly what was written, after a reopen and after a compaction, and is not checked again on open', async () => {
    const dir = await tempDir('crc-round-trip');
    const written = variedEntries();
    const store = new FileStore({ dir, compactSlack: 2 });
    await store.putMany(written);
    await store.setMeta({ gate: 5 });
    await store.close();

    const checks = vi.spyOn(OutboxEntrySchema, 'safeParse');
    const reopened = new FileStore({ dir, compactSlack: 2 });
    const { entries, meta, problems = [] } = await reopened.load();
    expect(checks, 'entries of lines whose checksum holds are not run through the schema again').not.toHaveBeenCalled();
    expect(problems).toEqual([]);
    expect(meta).toEqual({ gate: 5 });
    expect([...entries].sort((a, b) => a.seq - b.seq)).toEqual(written);
    checks.mockRestore();

    // Enough writes to compact (slack 2): the snapshot's lines are checksummed too, one entry each.
    for (let cycle = 0; cycle < 6; cycle++) await reopened.putMany([bareEntry(`passing-${cycle}`, { seq: 10 + cycle })]);
    await reopened.deleteMany(Array.from({ length: 6 }, (_, cycle) => bareEntry(`passing-${cycle}`).key));
    await reopened.close();
    const lines = await linesOf(reopened.journalPath);
    expect(lines.filter((line) => line.startsWith('{"put"')).every((line) => FRAMED.test(line))).toBe(true);
    const again = new FileStore({ dir });
    const after = await again.load();
    await again.close();
    expect([...after.entries].sort((a, b) => a.seq - b.seq)).toEqual(written);
    expect(after.problems ?? []).toEqual([]);
  });

  it('a line holding a \\u escape (a control character, which JSON writes as one) is checked in full on open, and loads', async () => {
    const dir = await tempDir('crc-escape');
    const entry = bareEntry('bell', { seq: 1, record: { id: 'bell', account: 'ding\u0007' } });
    const store = new FileStore({ dir });
    await store.putMany([entry]);
    await store.close();
    expect(await readFile(store.journalPath, 'utf8')).toContain('\\u0007');
    const checks = vi.spyOn(OutboxEntrySchema, 'safeParse');
    const reopened = new FileStore({ dir });
    expect((await reopened.load()).entries).toEqual([entry]);
    await reopened.close();
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('load() hands out copies: mutating them changes neither a second load nor the journal', async () => {
    const dir = await tempDir('crc-copies');
    const store = new FileStore({ dir });
    await store.putMany([fullEntry('a', 1)]);
    await store.close();
    const reopened = new FileStore({ dir });
    const first = await reopened.load();
    (first.entries[0] as OutboxEntry).record.id = 'mutated';
    expect((await reopened.load()).entries).toEqual([fullEntry('a', 1)]);
    await reopened.close();
  });

  it('a hand-made line with a recomputed checksum that holds __proto__ is still checked in full, and quarantined', async () => {
    const dir = await tempDir('crc-proto');
    const body = putLine({ ...bareEntry('p', { seq: 2 }), record: { id: 'p' } }).replace('"record":{', '"record":{"__proto__":{"polluted":true},').slice(0, -1);
    const crafted = `${body},"v":1,"crc":"${crc32(body).toString(16).padStart(8, '0')}"}`;
    await writeFile(join(dir, 'journal.jsonl'), `${putLine(bareEntry('before', { seq: 1 }))}\n${crafted}\n`);
    const store = new FileStore({ dir });
    const { entries } = await store.load();
    await store.close();
    expect(keysOf(entries)).toEqual([bareEntry('before').key]);
    const quarantined = (await linesOf(store.quarantinePath)).map((line) => JSON.parse(line) as { line: number; why: string });
    expect(quarantined).toMatchObject([{ line: 2, why: 'holds a __proto__ key' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a put of many entries in one line replays each entry with its own text (a reader sees them one by one)', async () => {
    const dir = await tempDir('crc-many');
    const entries = Array.from({ length: 50 }, (_, index) => fullEntry(`many-${index}-é`, index + 1));
    const store = new FileStore({ dir });
    await store.putMany(entries);
    await store.close();
    const replayed = await readJournal(join(dir, 'journal.jsonl'), { onCorrupt: () => undefined });
    expect(replayed?.corrupt).toEqual([]);
    for (const entry of entries) expect(JSON.parse(replayed?.live.entries.get(entry.key)?.text ?? 'null')).toEqual(entry);
    expect((await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n')).toHaveLength(2);
  });
});
