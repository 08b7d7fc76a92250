// Server text can make every line big: compaction triggers on the journal's bytes as well as on
// its line count (more than twice the live data's bytes plus COMPACT_SLACK_BYTES). And delivered
// records' personal data does not linger: when the last live entry is deleted (a drain emptied
// the queue), the journal is rewritten at once, holding nothing but the meta.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { COMPACT_SLACK_BYTES } from '../../src/store/file/compaction-policy.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

describe('compaction on bytes', () => {
  it('a few hundred changes of big entries (far under the line slack) keep the journal under twice the live bytes plus the byte slack', { timeout: 60_000 }, async () => {
    const dir = await tempDir('compact-bytes');
    const store = new FileStore({ dir }); // default line slack: 1000 lines
    const live = Array.from({ length: 3 }, (_, index) => bareEntry(`live-${index}`, { seq: index, record: { id: `live-${index}`, error_msg: 'L'.repeat(100_000) } }));
    await store.putMany(live);
    const liveBytes = (await stat(store.journalPath)).size;
    let largest = 0;
    for (let cycle = 0; cycle < 300; cycle++) {
      const big = bareEntry(`big-${cycle}`, { seq: 10 + cycle, record: { id: `big-${cycle}`, error_msg: 'x'.repeat(100_000) } });
      await store.putMany([big]);
      await store.deleteMany([big.key]);
      largest = Math.max(largest, (await stat(store.journalPath)).size);
    }
    // 300 cycles wrote 600 lines and about 30 MB: the line rule alone would never have compacted.
    expect(largest).toBeLessThanOrEqual(2 * liveBytes + COMPACT_SLACK_BYTES + 2 * 100_200);
    await store.close();
    const reopened = new FileStore({ dir });
    const { entries, problems } = await reopened.load();
    await reopened.close();
    expect(problems ?? []).toEqual([]);
    expect(keysOf(entries)).toEqual(keysOf(live));
  });

  it('a journal already far bigger than its live data is compacted when the store opens', async () => {
    const dir = await tempDir('compact-on-open');
    // As an older version left it: history far bigger than the one live entry, far fewer lines than the line slack.
    const lines: string[] = [JSON.stringify({ put: [bareEntry('keep', { seq: 1000 })] })];
    for (let cycle = 0; cycle < 100; cycle++) {
      const big = bareEntry(`big-${cycle}`, { seq: cycle, record: { id: `big-${cycle}`, error_msg: 'x'.repeat(100_000) } });
      lines.push(JSON.stringify({ put: [big] }), JSON.stringify({ del: [big.key] }));
    }
    await writeFile(join(dir, 'journal.jsonl'), `${lines.join('\n')}\n`);
    expect((await stat(join(dir, 'journal.jsonl'))).size).toBeGreaterThan(COMPACT_SLACK_BYTES);

    const store = new FileStore({ dir });
    expect(keysOf((await store.load()).entries)).toEqual([bareEntry('keep').key]);
    expect((await stat(store.journalPath)).size).toBeLessThan(1_000);
    await store.close();
  });
});

describe('an emptied queue', () => {
  it('deleting the last live entry rewrites the journal at once: no record data stays in it, the meta does', async () => {
    const dir = await tempDir('compact-empty');
    const store = new FileStore({ dir });
    const entries = [fullEntry('secret-person', 1), bareEntry('other', { seq: 2, record: { id: 'other', account: 'someone@example.com' } })];
    await store.putMany(entries);
    await store.setMeta({ gate: 7 });
    await store.putMany([{ ...entries[0], attempts: 4 } as (typeof entries)[0]]);
    await store.deleteMany([entries[0]?.key as string]);
    expect(await readFile(store.journalPath, 'utf8')).toContain('someone@example.com');

    await store.deleteMany([entries[1]?.key as string]);
    await store.close(); // the rewrite follows the write that emptied the queue; close() waits for it
    const text = await readFile(store.journalPath, 'utf8');
    expect(text).toBe(`${JSON.stringify({ meta: { gate: 7 } })}\n`);

    // Meta changes on an empty queue do not rewrite it again and again.
    const reopened = new FileStore({ dir });
    expect(await reopened.load()).toMatchObject({ entries: [], meta: { gate: 7 } });
    await reopened.setMeta({ gate: 8 });
    await reopened.close();
    expect(await readFile(store.journalPath, 'utf8')).toBe(`${text}${JSON.stringify({ meta: { gate: 8 } })}\n`);
  });

  it('without meta, the emptied journal is an empty file', async () => {
    const dir = await tempDir('compact-empty-file');
    const store = new FileStore({ dir });
    await store.putMany([fullEntry('a', 1)]);
    await store.deleteMany([fullEntry('a', 1).key]);
    await store.close();
    expect((await stat(store.journalPath)).size).toBe(0);
    const again = new FileStore({ dir });
    await again.putMany([bareEntry('b', { seq: 2 })]);
    await again.close();
    const reopened = new FileStore({ dir });
    expect(keysOf((await reopened.load()).entries)).toEqual([bareEntry('b').key]);
    await reopened.close();
  });
});
