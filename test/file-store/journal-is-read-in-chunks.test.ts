// The journal is streamed by lines in chunks, never read whole (a journal over 2 GiB could not
// be), with memory bounded by the longest allowed line. Reading one journal with any chunk size,
// down to one byte, gives the same replay: lines straddling chunk edges, multi-byte characters
// split across chunks, blank lines, corrupt lines, an over-long line and a torn tail included.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore, type OutboxEntry } from '../../src/node.js';
import { readJournal, type CorruptLine } from '../../src/store/file/journal-reader.js';
import { mulberry32 as seededRandom } from '../../src/mock/faults.js';
import { delLine, linesOf, putLine } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

/** The maximum line length in these replays: above every line but one. */
const MAX = 2048;
const OVERLONG = `"${'ö'.repeat(1500)}"`;

/** A journal of many kinds of lines, several KiB long, and what it must replay to. */
function journal(): { text: string; live: string[]; corruptLines: number[]; meta: Record<string, number> } {
  const random = seededRandom(7);
  const lines: string[] = [];
  const live = new Map<string, OutboxEntry>();
  const corruptLines: number[] = [];
  for (let index = 0; index < 60; index++) {
    const id = `記録-${index}-😀-${'é'.repeat(Math.floor(random() * 40))}`;
    const entry = index % 3 === 0 ? { ...fullEntry(id, index), record: { ...fullEntry(id, index).record, error_msg: 'ß€😀'.repeat(index) } } : bareEntry(id, { seq: index });
    lines.push(putLine(entry));
    live.set(entry.key, entry);
    if (index % 7 === 3) {
      lines.push(delLine(entry));
      live.delete(entry.key);
    }
    if (index % 11 === 5) {
      lines.push(`{"put":[{"key":"broken ${'ü'.repeat(index)}"`); // not JSON
      corruptLines.push(lines.length);
    }
    if (index % 13 === 6) lines.push(''); // a blank line is skipped, not quarantined
    if (index === 30) {
      lines.push(OVERLONG); // over the maximum used below
      corruptLines.push(lines.length);
    }
  }
  lines.push(JSON.stringify({ meta: { gate: 42 } }));
  const torn = putLine(bareEntry('torn-😀', { seq: 999 })).slice(0, 40);
  return { text: `${lines.join('\n')}\n${torn}`, live: [...live.keys()].sort(), corruptLines, meta: { gate: 42 } };
}

async function replay(path: string, chunkBytes: number) {
  const corrupt: CorruptLine[] = [];
  const replayed = await readJournal(path, { chunkBytes, maxLineBytes: MAX, onCorrupt: (line) => void corrupt.push(line) });
  if (!replayed) throw new Error('no journal');
  return { keys: keysOf(replayed.live.entries.values()), entries: Object.fromEntries(replayed.live.entries), meta: Object.fromEntries(replayed.live.meta), bytes: replayed.live.bytes, putLines: replayed.putLines, corrupt, goodLength: replayed.goodLength, fileLength: replayed.fileLength, lines: replayed.lines };
}

describe('the journal is read in chunks', () => {
  it('replays identically whatever the chunk size (1 byte to the whole file)', { timeout: 60_000 }, async () => {
    const dir = await tempDir('chunks');
    const path = join(dir, 'journal.jsonl');
    const { text, live, corruptLines, meta } = journal();
    await writeFile(path, text);
    const size = Buffer.byteLength(text);
    expect(size, 'several times the largest chunk below').toBeGreaterThan(8 * 4096);

    const whole = await replay(path, size + 1);
    expect(whole.keys).toEqual(live);
    expect(whole.meta).toEqual(meta);
    expect(whole.corrupt.map((bad) => bad.line)).toEqual(corruptLines);
    expect(whole.goodLength).toBe(size - 40);
    expect(whole.fileLength).toBe(size);
    const overlong = whole.corrupt.find((bad) => bad.cut);
    expect(overlong?.why).toBe(`line longer than ${MAX} bytes`);
    expect(overlong?.cut?.bytes).toBe(Buffer.byteLength(OVERLONG));
    for (const chunkBytes of [1, 2, 3, 5, 7, 64, MAX - 1, MAX, MAX + 1, 4096]) {
      expect(await replay(path, chunkBytes), `chunk size ${chunkBytes}`).toStrictEqual(whole);
    }
  });

  it('a FileStore opens that journal to the same entries, quarantines its corrupt lines and cuts its torn tail', async () => {
    const dir = await tempDir('chunks-store');
    const { text, live } = journal();
    await writeFile(join(dir, 'journal.jsonl'), text);
    const store = new FileStore({ dir });
    const { entries, meta, problems = [] } = await store.load();
    await store.close();
    expect(keysOf(entries)).toEqual(live);
    expect(meta).toEqual({ gate: 42 });
    expect(problems.join('\n')).toMatch(/torn/);
    expect(problems.join('\n')).toMatch(/quarantine/);
    const reopened = new FileStore({ dir });
    const again = await reopened.load();
    await reopened.close();
    expect(again.problems ?? []).toEqual([]);
    expect(keysOf(again.entries)).toEqual(live);
    // The over-long line of the replays above is under the real maximum: corrupt (a string), not over-long.
    expect((await linesOf(store.quarantinePath)).some((line) => line.includes('"cut"'))).toBe(false);
  });
});
