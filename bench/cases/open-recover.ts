// Case 3: open/recover (node). Opening a FileStore of 100,000 entries (and an outbox over it):
// time and peak RSS, each round in a fresh child process, vs `JSON.parse` of the same entries
// kept in one JSON file. Also a journal written before put lines carried checksums (every entry
// checked in full, and the journal rewritten once with checksums), from a fresh copy each round.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { snapshotText } from '../../src/store/file/journal-format.js';
import { formatRatio, rowOf, sideBySide, type BenchCase, type Goal, type Row, type Variant } from '../harness.js';
import { TempDirs, makeEntries, makeRecords } from '../support/fixtures.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../support/open-child.ts', import.meta.url));

const JSON_PARSE = 'JSON.parse of one file';
const FILESTORE = 'FileStore open + load';
const OUTBOX = 'createOutbox({ dir }) ready';
const LEGACY = 'FileStore open + load, no checksums';

interface ChildResult {
  ms: number;
  entries: number;
  peakRssMb: number;
  rssBeforeMb: number;
  heapUsedMb: number;
}

async function inChild(variant: string, path: string, expected: number): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child, variant, path], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult;
  if (result.entries !== expected) throw new Error(`${variant}: opened ${result.entries} entries, expected ${expected}`);
  return result;
}

export const openRecover: BenchCase = {
  name: 'open-recover',
  title: 'open/recover a store of 100,000 entries: time and peak RSS (fresh process per round) vs JSON.parse',
  async run({ quick, log }) {
    const count = quick ? 20_000 : 100_000;
    const rounds = quick ? 1 : 3;
    const dirs = new TempDirs();
    try {
      // The store as compaction leaves it (one entry per line), and the same entries as one JSON array.
      const root = await dirs.make('open');
      const storeDir = join(root, 'store');
      await mkdir(storeDir, { mode: 0o700 });
      const entries = makeEntries(makeRecords(count, 'o'), 1);
      const journal = snapshotText(entries, new Map([['gate:http://127.0.0.1:9', 0]]));
      await writeFile(join(storeDir, 'journal.jsonl'), journal, { mode: 0o600 });
      await chmod(storeDir, 0o700);
      // The same journal as the version before checksums wrote it: opened from a fresh copy each round.
      const legacyJournal = join(root, 'legacy.jsonl');
      await writeFile(legacyJournal, entries.map((entry) => `${JSON.stringify({ put: [entry] })}\n`).join(''), { mode: 0o600 });
      const legacyDir = join(root, 'legacy-store');
      const jsonPath = join(root, 'queue.json');
      const json = JSON.stringify(entries);
      await writeFile(jsonPath, json, { mode: 0o600 });
      const sizes = { journalMb: Buffer.byteLength(journal) / 2 ** 20, jsonMb: Buffer.byteLength(json) / 2 ** 20 };

      const variant = (name: string, kind: string, path: string, before?: () => Promise<void>): Variant => ({
        name,
        async run() {
          await before?.();
          const result = await inChild(kind, path, count);
          return { value: result.ms, extra: { 'peak RSS MB': result.peakRssMb, 'RSS growth MB': result.peakRssMb - result.rssBeforeMb, 'heap after MB': result.heapUsedMb } };
        },
      });
      const group = `${count.toLocaleString('en-US')} entries`;
      const rows: Row[] = await sideBySide({
        group,
        metric: { name: 'time to open', unit: 'ms', better: 'lower' },
        variants: [
          variant(JSON_PARSE, 'json', jsonPath),
          variant(FILESTORE, 'filestore', storeDir),
          variant(OUTBOX, 'outbox', storeDir),
          variant(LEGACY, 'filestore', legacyDir, async () => {
            await rm(legacyDir, { recursive: true, force: true });
            await mkdir(legacyDir, { mode: 0o700 });
            await copyFile(legacyJournal, join(legacyDir, 'journal.jsonl'));
          }),
        ],
        baselines: [JSON_PARSE],
        rounds,
        log,
      });
      const base = rowOf(rows, group, JSON_PARSE);
      const notes = [
        `files: journal ${sizes.journalMb.toFixed(1)} MB (as compaction writes it: one checksummed entry per line), JSON ${sizes.jsonMb.toFixed(1)} MB`,
        `"${LEGACY}": the same entries without checksums (as versions before them wrote it), from a fresh copy each round: every entry is checked in full, then the journal is rewritten with checksums (counted: it is part of that first open)`,
        'each round is a fresh `node --import tsx` process; time is measured inside it around the open only; "RSS growth" = peak RSS − RSS just before the open (same modules loaded in every variant)',
        `"vs ${JSON_PARSE}" = how many times faster; memory: ${[FILESTORE, OUTBOX, LEGACY]
          .map((name) => {
            const row = rowOf(rows, group, name);
            return `${name} RSS growth ${formatRatio((row.extra['RSS growth MB'] ?? 0) / (base.extra['RSS growth MB'] ?? 1))} of JSON.parse's`;
          })
          .join(', ')}`,
      ];
      const store = rowOf(rows, group, FILESTORE);
      const timeRatio = store.median / base.median;
      const rssRatio = (store.extra['peak RSS MB'] ?? Infinity) / (base.extra['peak RSS MB'] ?? 1);
      const goals: Goal[] = [
        { goal: `${FILESTORE} ≤ 2× the time of ${JSON_PARSE}`, met: timeRatio <= 2, detail: `${timeRatio.toFixed(2)}× (${Math.round(store.median)} vs ${Math.round(base.median)} ms)` },
        {
          goal: `${FILESTORE} ≤ 1.5× the peak RSS of ${JSON_PARSE}`,
          met: rssRatio <= 1.5,
          detail: `${rssRatio.toFixed(2)}× (${Math.round(store.extra['peak RSS MB'] ?? 0)} vs ${Math.round(base.extra['peak RSS MB'] ?? 0)} MB)`,
        },
      ];
      return { params: { count, rounds }, rows, goals, notes };
    } finally {
      await dirs.cleanup();
    }
  },
};
