// A real child process writes big multi-byte checksummed lines (group commits, compactions) and
// is SIGKILLed mid-write, again and again over the same directory. README: "A torn last line (a
// write cut by a crash) is dropped and cut from the file"; "Nothing acknowledged is lost"; a
// crash during compaction "leaves either the old journal or the new one, whole". Checked: every
// acknowledged entry reopens byte for byte, nothing is quarantined, the lock is taken over.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, type OutboxEntry } from '../../../src/node.js';
import { mulberry32 } from '../../../src/mock/faults.js';
import { spawnTs, type TsChild } from '../../helpers/spawn-ts.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { writerDeletes, writerEntry } from './writer-entries.js';

const WRITER = new URL('./children/put-writer.ts', import.meta.url);
const ROUNDS = 6;
const tempDir = useTempDirs();
const children: TsChild[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
});

/** The entries acknowledged in `round` that must still be there (pairs not deleted after). */
function expectedOf(round: number, acked: readonly string[]): OutboxEntry[] {
  return acked
    .map((id) => id.split('-').map((part, index) => (index === 0 ? part : Number(part))))
    .filter(([, index]) => !writerDeletes(index as number))
    .map(([, index, part]) => writerEntry(round, index as number, part as number));
}

describe('a FileStore writer killed with SIGKILL mid-write', () => {
  it('reopens with every acknowledged entry exactly as written, nothing quarantined', { timeout: 120_000 }, async () => {
    const dir = await tempDir('killed-writer');
    const random = mulberry32(7_331);
    const mustHave = new Map<string, OutboxEntry>();
    for (let round = 0; round < ROUNDS; round++) {
      const child = spawnTs(WRITER, [dir, String(round)]);
      children.push(child);
      await child.waitForLine((line) => line.startsWith('OPENED'), 30_000);
      const killAfter = 2 + Math.floor(random() * 40);
      await child.waitForLine(() => child.lines.filter((line) => line.startsWith('ACK')).length >= killAfter, 30_000);
      await child.kill();
      const acked = child.lines.filter((line) => line.startsWith('ACK ')).map((line) => line.slice(4));
      // A pair's delete may or may not have landed before the kill: deleted pairs are not required.
      for (const entry of expectedOf(round, acked)) mustHave.set(entry.key, entry);
      const store = new FileStore({ dir });
      const { entries, problems = [] } = await store.load();
      await store.close();
      const loaded = new Map(entries.map((entry) => [entry.key, entry]));
      const missing = [...mustHave.keys()].filter((key) => !loaded.has(key));
      expect(missing, `round ${round}: acknowledged entries lost`).toEqual([]);
      for (const [key, entry] of mustHave) expect(loaded.get(key), key).toEqual(entry);
      expect(problems.filter((problem) => !problem.startsWith('dropped a torn last write')), `round ${round}`).toEqual([]);
      expect(existsSync(store.quarantinePath), `round ${round}: quarantine`).toBe(false);
    }
  });
});
