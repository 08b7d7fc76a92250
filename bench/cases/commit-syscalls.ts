// Case: system calls per durable commit (node, Linux with strace). The same sequential
// single-record commits made by the FileStore, by SQLite (WAL, synchronous=FULL) and by a raw
// append+fsync loop, each in a child process under `strace -c -f`; the counts of the set-up (one
// warm commit, module loading) are taken out by also running each with 0 calls and subtracting.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { format, type BenchCase, type Row } from '../harness.js';
import { TempDirs } from '../support/fixtures.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../support/commit-child.ts', import.meta.url));
const VARIANTS = { filestore: 'FileStore.putMany', sqlite: 'sqlite WAL FULL', raw: 'raw append+fsync loop' } as const;
const SYNCS = new Set(['fsync', 'fdatasync', 'sync_file_range', 'msync']);

/** `strace -c` summary: calls per syscall name. */
function parseSummary(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields.at(-1);
    // "% time  seconds  usecs/call  calls  errors  syscall": calls is the 4th field, errors optional.
    if (!name || !/^[a-z_0-9]+$/.test(name) || name === 'total' || fields.length < 5 || !/^\d/.test(fields[0] as string)) continue;
    counts.set(name, Number(fields[3]));
  }
  return counts;
}

async function traced(variant: string, dir: string, calls: number): Promise<Map<string, number>> {
  const out = join(dir, `strace-${calls}.txt`);
  await run('strace', ['-c', '-f', '-o', out, process.execPath, '--import', 'tsx', child, variant, dir, String(calls)], { maxBuffer: 1 << 20 });
  return parseSummary(await readFile(out, 'utf8'));
}

export const commitSyscalls: BenchCase = {
  name: 'commit-syscalls',
  title: 'system calls per durable single-record commit (strace -c -f): FileStore vs SQLite vs a raw append+fsync loop',
  async run({ quick, log }) {
    const calls = quick ? 50 : 400;
    try {
      await run('strace', ['-V']);
    } catch {
      return { params: { calls }, rows: [], goals: [], notes: ['strace is not installed here: case skipped'] };
    }
    const dirs = new TempDirs();
    const rows: Row[] = [];
    const perCommit = new Map<string, Map<string, number>>();
    try {
      for (const [variant, name] of Object.entries(VARIANTS)) {
        const base = await traced(variant, await dirs.make('syscalls'), 0);
        const full = await traced(variant, await dirs.make('syscalls'), calls);
        const counts = new Map<string, number>();
        for (const [syscall, count] of full) counts.set(syscall, Math.max(0, (count - (base.get(syscall) ?? 0)) / calls));
        perCommit.set(name, counts);
        log(`  ${name}: ${format([...counts.values()].reduce((a, b) => a + b, 0))} syscalls per commit`);
      }
    } finally {
      await dirs.cleanup();
    }
    const raw = perCommit.get(VARIANTS.raw) as Map<string, number>;
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
    const syncs = (counts: Map<string, number>) => [...counts].filter(([name]) => SYNCS.has(name)).reduce((a, [, n]) => a + n, 0);
    for (const [name, counts] of perCommit) {
      const top = [...counts].filter(([, n]) => n >= 0.05).sort((a, b) => b[1] - a[1]).slice(0, 8);
      rows.push({
        group: `sequential single-record commits, ${calls} counted`,
        variant: name,
        metric: 'syscalls per commit',
        unit: 'calls',
        median: total(counts),
        samples: [total(counts)],
        ratios: { [VARIANTS.raw]: total(raw) / Math.max(total(counts), 1e-9) },
        extra: { 'syncs per commit': syncs(counts), ...Object.fromEntries(top) },
      });
    }
    return {
      params: { calls },
      rows,
      goals: [],
      notes: [
        'each variant runs twice in a child process under `strace -c -f` (all threads: libuv\'s pool does the file I/O), with 0 and with N commits; the difference / N is per commit',
        '"syncs per commit": fsync + fdatasync (+ sync_file_range, msync); extra: the most frequent syscalls per commit',
      ],
    };
  },
};
