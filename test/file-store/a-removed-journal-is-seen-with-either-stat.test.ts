// The check that the journal's path still names the file it appends to is a synchronous stat
// on a local file system and an asynchronous one elsewhere (network file systems, where a stat
// may wait on a server). Both see a removed journal and a replaced one on the next append, which
// then rejects and every later append is refused.
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalAppender } from '../../src/store/file/journal-appender.js';
import { rejectionOf } from '../helpers/caught.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const line = Buffer.from('{"del":["a"]}\n');

describe.each([
  ['a synchronous stat (local file system)', true],
  ['an asynchronous stat (any other file system)', false],
])('with %s', (_, local) => {
  it('a removed directory: the next append rejects, saying the journal was removed, and so do later ones', async () => {
    const dir = join(await tempDir('appender-removed'), 'store');
    await mkdir(dir);
    const path = join(dir, 'journal.jsonl');
    const appender = await JournalAppender.open(path, local);
    await appender.append(line);
    expect(appender.size).toBe(line.length);

    await rm(dir, { recursive: true, force: true });
    expect((await rejectionOf(appender.append(line))).message).toMatch(/removed or replaced/);
    expect(appender.refusal).toMatch(/reopened/);
    expect((await rejectionOf(appender.append(line))).message).toMatch(/removed or replaced/);
    await appender.close();
  });

  it('a journal renamed away and another file put in its place: the next append rejects', async () => {
    const dir = await tempDir('appender-replaced');
    const path = join(dir, 'journal.jsonl');
    const appender = await JournalAppender.open(path, local);
    await appender.append(line);
    await rename(path, join(dir, 'journal.old'));
    await writeFile(path, '');
    expect((await rejectionOf(appender.append(line))).message).toMatch(/removed or replaced/);
    await appender.close();
  });

  it('an adopted handle (after a compaction) is checked the same way', async () => {
    const dir = await tempDir('appender-adopted');
    const path = join(dir, 'journal.jsonl');
    const appender = JournalAppender.adopt(path, await open(path, 'a'), 0, local);
    await appender.append(line);
    await rename(path, join(dir, 'journal.old'));
    expect((await rejectionOf(appender.append(line))).message).toMatch(/removed or replaced/);
    await appender.close();
  });
});
