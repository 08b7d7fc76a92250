// A put line whose checksum does not match its bytes (a flipped bit on disk, a hand edit) is not
// trusted: it is checked in full as lines were before checksums. Still a valid change: it loads,
// with the bytes as they now are. Not valid: it goes to quarantine.jsonl like any unreadable
// line, and the entries around it load. A line cut short in the middle of the file is caught too.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { linesOf } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

interface Quarantined {
  line: number;
  why: string;
  text: string;
}

const FIRST = bareEntry('first', { seq: 1 });
const MIDDLE = bareEntry('middle', { seq: 2 });
const LAST = bareEntry('last', { seq: 3 });

/** A store of three checksummed lines; `edit` rewrites the middle one (as a string). */
async function withMiddleLine(label: string, edit: (line: string) => string): Promise<{ dir: string; journal: string; edited: string }> {
  const dir = await tempDir(label);
  const store = new FileStore({ dir });
  for (const entry of [FIRST, MIDDLE, LAST]) await store.putMany([entry]);
  await store.close();
  const lines = await linesOf(store.journalPath);
  const edited = edit(lines[1] as string);
  expect(edited, 'the edit changed the line').not.toBe(lines[1]);
  await writeFile(store.journalPath, `${[lines[0], edited, lines[2]].join('\n')}\n`);
  return { dir, journal: store.journalPath, edited };
}

async function open(dir: string) {
  const store = new FileStore({ dir });
  const contents = await store.load();
  await store.close();
  const quarantined = (await linesOf(store.quarantinePath)).map((line) => JSON.parse(line) as Quarantined);
  return { ...contents, problems: contents.problems ?? [], quarantined };
}

describe('a put line whose checksum fails', () => {
  it('one flipped byte that leaves a valid entry ("attempts":0 → 5): checked in full and loaded as it now reads, nothing quarantined', async () => {
    const { dir } = await withMiddleLine('crc-flip-valid', (line) => line.replace('"attempts":0', '"attempts":5'));
    const { entries, problems, quarantined } = await open(dir);
    // Said, not silent: the line was damaged or edited, and loaded because it is still valid.
    expect(problems).toEqual([expect.stringMatching(/^1 journal line\(s\) \(line 2\) did not match their checksum \(damaged or edited\): checked in full and loaded$/)]);
    expect(quarantined).toEqual([]);
    expect(keysOf(entries)).toEqual(keysOf([FIRST, MIDDLE, LAST]));
    expect(entries.find((entry) => entry.key === MIDDLE.key)?.attempts).toBe(5);
  });

  it('one flipped byte in the checksum itself: the entry is valid, so it loads', async () => {
    const { dir } = await withMiddleLine('crc-flip-digits', (line) => line.replace(/"crc":"(.)/, (_, digit: string) => `"crc":"${digit === '0' ? '1' : '0'}`));
    const { entries, problems, quarantined } = await open(dir);
    expect(quarantined).toEqual([]);
    expect(problems).toEqual([expect.stringContaining('(line 2) did not match their checksum')]);
    expect(entries.find((entry) => entry.key === MIDDLE.key)).toEqual(MIDDLE);
  });

  it('one flipped byte that makes the entry invalid ("pending" → "pendinG"), the JSON still parsing: quarantined, the others load', async () => {
    const { dir, journal, edited } = await withMiddleLine('crc-flip-invalid', (line) => line.replace('"pending"', '"pendinG"'));
    expect(() => JSON.parse(edited)).not.toThrow();
    const { entries, problems, quarantined } = await open(dir);
    expect(keysOf(entries)).toEqual(keysOf([FIRST, LAST]));
    expect(problems.join('\n')).toMatch(/line 2\b/);
    expect(quarantined).toMatchObject([{ line: 2, why: 'holds an invalid entry', text: edited }]);
    // Dealt with once: the journal was rewritten without it.
    expect(await readFile(journal, 'utf8')).not.toContain('pendinG');
    expect((await open(dir)).problems).toEqual([]);
  });

  it('a line cut short in the middle of the file (its end and checksum gone): quarantined as not JSON, the others load', async () => {
    const { dir, edited } = await withMiddleLine('crc-cut', (line) => line.slice(0, Math.floor(line.length / 2)));
    const { entries, quarantined } = await open(dir);
    expect(keysOf(entries)).toEqual(keysOf([FIRST, LAST]));
    expect(quarantined).toMatchObject([{ line: 2, why: 'not JSON', text: edited }]);
  });

  it('a line cut just before its checksum ends ("crc":"1a2b) is not JSON either: quarantined', async () => {
    const { dir } = await withMiddleLine('crc-cut-late', (line) => line.slice(0, -4));
    const { entries, quarantined } = await open(dir);
    expect(keysOf(entries)).toEqual(keysOf([FIRST, LAST]));
    expect(quarantined).toMatchObject([{ line: 2, why: 'not JSON' }]);
  });
});
