// A journal larger than 2 GiB (error bodies filled the disk before server text was bounded)
// still opens: it is streamed by lines, never read whole (`readFile` refuses files over 2 GiB),
// and since it holds far more than its live data it is compacted right away.
// Opt-in (writes 2.1 GiB to the temp directory, about a minute): WKS_BIG_JOURNAL=1.
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
const BIG = 2.1 * 2 ** 30;

describe.skipIf(process.env.WKS_BIG_JOURNAL !== '1')('a journal over 2 GiB (WKS_BIG_JOURNAL=1)', () => {
  it('opens, loads its live entries, and is compacted to about their size', { timeout: 600_000 }, async () => {
    const dir = await tempDir('big-journal');
    const path = join(dir, 'journal.jsonl');
    const handle = await open(path, 'w', 0o600);
    const keep = [bareEntry('first', { seq: 1 }), bareEntry('last', { seq: 3 })];
    await handle.write(`${JSON.stringify({ put: [keep[0]] })}\n`);
    // 1 MiB entries put and deleted again, as a 503 storm with big error bodies would leave them.
    const big = bareEntry('big', { seq: 2, record: { id: 'big', error_msg: 'x'.repeat(2 ** 20) } });
    const cycle = Buffer.from(`${JSON.stringify({ put: [big] })}\n${JSON.stringify({ del: [big.key] })}\n`);
    let written = 0;
    while (written < BIG) written += (await handle.write(cycle)).bytesWritten;
    await handle.write(`${JSON.stringify({ put: [keep[1]] })}\n${JSON.stringify({ meta: { gate: 9 } })}\n`);
    await handle.close();
    expect((await stat(path)).size).toBeGreaterThan(2 ** 31);

    const store = new FileStore({ dir });
    const { entries, meta, problems = [] } = await store.load();
    await store.close();
    expect(problems).toEqual([]);
    expect(entries.map((entry) => entry.key).sort()).toEqual(keep.map((entry) => entry.key).sort());
    expect(meta).toEqual({ gate: 9 });
    expect((await stat(path)).size).toBeLessThan(4096);
  });
});
