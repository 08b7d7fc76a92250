// Journals written before put lines carried a checksum (`{"put":[…]}`, one JSON change a line)
// open as they always did: every entry checked in full. One made mostly of such lines is
// rewritten once on open (a compaction), so the next open reads it by checksums. A journal that
// mixes both kinds of lines (new lines appended to an old journal) reads whole.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileStore } from '../../src/node.js';
import { OutboxEntrySchema } from '../../src/store/entry.js';
import { putLine as checksummedPutLine } from '../../src/store/file/put-line.js';
import { delLine, linesOf, putLine } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
const CHECKSUMMED = /,"v":1,"crc":"[0-9a-f]{8}"\}$/;
const GONE = bareEntry('gone', { seq: 3 });

/** Lines as the version before checksums wrote them: puts, a delete, meta. */
const OLD_LINES = [putLine(fullEntry('a', 1), bareEntry('b', { seq: 2 })), putLine(GONE), JSON.stringify({ meta: { gate: 7 } }), putLine(bareEntry('b', { seq: 2, attempts: 2 })), delLine(GONE)];

async function openStore(dir: string) {
  const store = new FileStore({ dir });
  const contents = await store.load();
  await store.close();
  return { ...contents, problems: contents.problems ?? [] };
}

describe('a journal without checksums', () => {
  it('opens: every entry, its latest value, the meta; nothing quarantined', async () => {
    const dir = await tempDir('old-journal');
    await writeFile(join(dir, 'journal.jsonl'), `${OLD_LINES.join('\n')}\n`);
    const { entries, meta, problems } = await openStore(dir);
    expect(problems).toEqual([]);
    expect(meta).toEqual({ gate: 7 });
    expect(keysOf(entries)).toEqual(keysOf([fullEntry('a'), bareEntry('b')]));
    expect(entries.find((entry) => entry.key === fullEntry('a').key)).toEqual(fullEntry('a', 1));
    expect(entries.find((entry) => entry.key === bareEntry('b').key)?.attempts).toBe(2);
  });

  it('is rewritten once on open in checksummed lines; the next open checks no entry again', async () => {
    const dir = await tempDir('old-journal-rewritten');
    await writeFile(join(dir, 'journal.jsonl'), `${OLD_LINES.join('\n')}\n`);
    const first = await openStore(dir);
    const lines = await linesOf(join(dir, 'journal.jsonl'));
    expect(lines.filter((line) => line.startsWith('{"put"')).every((line) => CHECKSUMMED.test(line)), lines.join('\n')).toBe(true);
    expect(lines).toHaveLength(3); // a, b, the meta

    const checks = vi.spyOn(OutboxEntrySchema, 'safeParse');
    const second = await openStore(dir);
    expect(checks).not.toHaveBeenCalled();
    checks.mockRestore();
    expect(second).toEqual(first);
  });

  it('mixed with checksummed lines in one file (old lines first, new lines after, a new line replacing and deleting old entries): reads whole', async () => {
    const dir = await tempDir('mixed-journal');
    const mixed = [
      ...OLD_LINES,
      checksummedPutLine([JSON.stringify(bareEntry('c', { seq: 4 })), JSON.stringify(bareEntry('b', { seq: 2, attempts: 3 }))]).trimEnd(),
      delLine(fullEntry('a')),
      checksummedPutLine([JSON.stringify(fullEntry('d', 5))]).trimEnd(),
      putLine(bareEntry('e', { seq: 6 })),
    ];
    await writeFile(join(dir, 'journal.jsonl'), `${mixed.join('\n')}\n`);
    const { entries, meta, problems } = await openStore(dir);
    expect(problems).toEqual([]);
    expect(meta).toEqual({ gate: 7 });
    expect(keysOf(entries)).toEqual(keysOf([bareEntry('b'), bareEntry('c'), fullEntry('d'), bareEntry('e')]));
    expect(entries.find((entry) => entry.key === bareEntry('b').key)?.attempts).toBe(3);
    expect(entries.find((entry) => entry.key === fullEntry('d').key)).toEqual(fullEntry('d', 5));
  });
});
