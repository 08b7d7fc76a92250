// Case 1: durable enqueue (node). FileStore (through the outbox's `enqueue`, and the store's
// raw `putMany`) vs better-sqlite3 (WAL, synchronous=FULL) vs a naive rewrite-the-whole-JSON
// outbox vs the floor (a raw append+fsync loop of the same bytes), in calls of 1 (sequential and 100 concurrent), 10 and 100 records, at ~1k and ~10k queued.
import type { AuthorizationMail } from '../../src/api/schemas.js';
import { createOutbox } from '../../src/node.js';
import { FileStore } from '../../src/store/FileStore.js';
import type { OutboxEntry } from '../../src/store/entry.js';
import type { QueueStore } from '../../src/store/QueueStore.js';
import { Samples, collectGarbage, format, formatRatio, rowOf, type BenchCase, type Goal, type Row, type Sample } from '../harness.js';
import { PROJECT_ID, TempDirs, chunks, makeEntries, makeRecords } from '../support/fixtures.js';
import { NaiveJsonStore } from '../support/naive-store.js';
import { RawAppendLog } from '../support/raw-append.js';
import { SqliteStore } from '../support/sqlite-store.js';

interface Pattern {
  label: string;
  /** Records per call. */
  size: number;
  /** Calls started at once (and awaited together). */
  concurrent: number;
}

const PATTERNS: Pattern[] = [
  { label: 'calls of 1, sequential', size: 1, concurrent: 1 },
  { label: 'calls of 1, 100 concurrent', size: 1, concurrent: 100 },
  { label: 'calls of 10', size: 10, concurrent: 1 },
  { label: 'calls of 100', size: 100, concurrent: 1 },
];

/** A durable queue under test: prefilled untimed, fed timed calls, then put back to its prefilled size. */
interface Subject {
  prefill(records: AuthorizationMail[], entries: OutboxEntry[]): Promise<void>;
  call(records: AuthorizationMail[], entries: OutboxEntry[]): Promise<unknown>;
  /** Untimed: removes what a window added, so the next pattern starts at the same queue size. */
  remove(records: AuthorizationMail[], entries: OutboxEntry[]): Promise<unknown>;
  /** Naive store only: lets the calls queued behind a rewrite settle without writing (end of a window). */
  skipQueued?(): void;
  resume?(): void;
  close(): Promise<void>;
}

const OUTBOX = 'outbox.enqueue (FileStore)';
const PUTMANY = 'FileStore.putMany';
const SQLITE = 'sqlite WAL FULL';
const NAIVE = 'naive JSON rewrite';
const RAW = 'raw append+fsync loop';

let sqliteModes = '';

/** A store that takes ready entries (FileStore, the SQLite baseline) as a subject. */
function entryStoreSubject(store: Pick<QueueStore, 'putMany' | 'deleteMany' | 'close'>): Subject {
  return {
    prefill: async (_, entries) => {
      for (const chunk of chunks(entries, 1000)) await store.putMany(chunk);
    },
    call: (_, entries) => store.putMany(entries),
    remove: (_, entries) => store.deleteMany(entries.map((entry) => entry.key)),
    close: () => store.close(),
  };
}

const SUBJECTS: Record<string, (dir: string) => Subject> = {
  [OUTBOX]: (dir) => {
    const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: PROJECT_ID, auth: { token: 'bench' }, language: 'en-us', dir });
    return {
      prefill: async (records) => {
        for (const chunk of chunks(records, 1000)) await outbox.enqueue(chunk);
      },
      call: (records) => outbox.enqueue(records),
      remove: (records) => outbox.purge(records.map((record) => record.id)),
      close: () => outbox.close(),
    };
  },
  [PUTMANY]: (dir) => entryStoreSubject(new FileStore({ dir })),
  [SQLITE]: (dir) => {
    const store = new SqliteStore(dir);
    sqliteModes ||= `journal_mode=${store.journalMode}, synchronous=${store.synchronous} (2 = FULL)`;
    return entryStoreSubject(store);
  },
  [RAW]: (dir) => entryStoreSubject(new RawAppendLog(dir)),
  [NAIVE]: (dir) => {
    const store = new NaiveJsonStore(dir);
    return {
      prefill: (_, entries) => store.putMany(entries), // one rewrite: the file it would have by now
      call: (_, entries) => store.putMany(entries),
      remove: (_, entries) => store.deleteMany(entries.map((entry) => entry.key)),
      skipQueued: () => store.skipQueued(),
      resume: () => store.resume(),
      close: () => store.close(),
    };
  },
};

/**
 * Feeds `subject` calls of `pattern` until `window` records or `capMs`, whichever first (a
 * group of concurrent calls may be cut at the cap: only the calls finished by then count).
 */
async function measure(subject: Subject, pattern: Pattern, records: AuthorizationMail[], entries: OutboxEntry[], window: number, capMs: number): Promise<Sample> {
  const step = pattern.size * pattern.concurrent;
  collectGarbage();
  let completed = 0;
  let offset = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let end = start;
  let cpuUsed = 0;
  const finish = () => {
    const used = process.cpuUsage(cpu);
    cpuUsed = used.user + used.system;
  };
  for (;;) {
    if (offset + step > window) {
      finish();
      break;
    }
    const calls: Promise<void>[] = [];
    for (let c = 0; c < pattern.concurrent; c++) {
      const from = offset + c * pattern.size;
      const to = from + pattern.size;
      calls.push(
        subject.call(records.slice(from, to), entries.slice(from, to)).then(() => {
          completed += pattern.size;
          end = performance.now();
        }),
      );
    }
    offset += step;
    const all = Promise.all(calls);
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<'cap'>((resolve) => {
      timer = setTimeout(() => resolve('cap'), Math.max(0, capMs - (performance.now() - start)));
    });
    const first = await Promise.race([all.then(() => 'all' as const), cap]);
    clearTimeout(timer);
    if (first === 'cap') {
      if (completed === 0) await Promise.race(calls); // at least one call
      finish();
      const counted = completed;
      const at = end;
      subject.skipQueued?.();
      await all;
      subject.resume?.();
      completed = counted;
      end = at;
      break;
    }
    if (performance.now() - start >= capMs) {
      finish();
      break;
    }
  }
  const elapsed = end - start;
  return { value: (completed / elapsed) * 1000, extra: { 'records timed': completed, 'CPU µs/record': cpuUsed / completed } };
}

const label = (q: number) => (q >= 1000 ? `${q / 1000}k` : String(q));

export const durableEnqueue: BenchCase = {
  name: 'durable-enqueue',
  title: 'durable enqueue throughput: FileStore vs SQLite (WAL, synchronous=FULL) vs naive JSON rewrite vs a raw append+fsync loop',
  async run({ quick, log }) {
    const queued = quick ? [500, 2000] : [1000, 10_000];
    const rounds = quick ? 1 : 6;
    const capMs = quick ? 80 : 150;
    const names = Object.keys(SUBJECTS);
    const dirs = new TempDirs();
    const samples = new Samples();
    let runId = 0;
    const groupOf = (pattern: Pattern, q: number) => `${pattern.label} @ ${label(q)} queued`;
    try {
      for (const q of queued) {
        const window = q / 2;
        for (let round = 0; round < rounds; round++) {
          // All the queues open and prefilled (untimed) at once, then measured in turn, pattern
          // by pattern: the variants of one figure run seconds apart, not minutes, so a burst of
          // other load on the machine hits them alike. The order rotates from round to round.
          const open: { name: string; subject: Subject; dir: string; prefix: string }[] = [];
          try {
            for (const name of names) {
              const prefix = `r${runId++}`;
              const dir = await dirs.make('enqueue');
              const subject = (SUBJECTS[name] as (dir: string) => Subject)(dir);
              open.push({ name, subject, dir, prefix });
              const records = makeRecords(q, `${prefix}-p`);
              await subject.prefill(records, makeEntries(records, 1));
            }
            for (const [index, pattern] of PATTERNS.entries()) {
              for (let turn = 0; turn < open.length; turn++) {
                const { name, subject, prefix } = open[(turn + round) % open.length] as (typeof open)[number];
                const records = makeRecords(window, `${prefix}-w${index}`);
                const entries = makeEntries(records, q + 1 + index * window);
                const sample = await measure(subject, pattern, records, entries, window, capMs);
                samples.add(groupOf(pattern, q), name, sample);
                log(`  ${groupOf(pattern, q)} · ${name} · round ${round + 1}/${rounds}: ${format(sample.value)} records/s`);
                await subject.remove(records, entries);
              }
            }
          } finally {
            for (const { subject, dir } of open) {
              await subject.close().catch(() => undefined);
              await dirs.remove(dir);
            }
          }
        }
      }
    } finally {
      await dirs.cleanup();
    }
    const rows: Row[] = samples.rows({
      groups: queued.flatMap((q) => PATTERNS.map((pattern) => groupOf(pattern, q))),
      variants: names,
      metric: { name: 'throughput', unit: 'records/s', better: 'higher' },
      baselines: [SQLITE, NAIVE, RAW],
    });

    const goals: Goal[] = [];
    const batched = PATTERNS.filter((pattern) => pattern.size > 1);
    for (const variant of [OUTBOX, PUTMANY]) {
      const checks = queued.flatMap((q) => batched.map((pattern) => rowOf(rows, `${pattern.label} @ ${label(q)} queued`, variant)));
      goals.push({
        goal: `${variant} ≥ SQLite for batched enqueue (calls of 10 and 100)`,
        met: checks.every((row) => (row.ratios[SQLITE] ?? 0) >= 1),
        detail: checks.map((row) => `${row.group.replace(' queued', '')}: ${formatRatio(row.ratios[SQLITE])}`).join('; '),
      });
    }
    for (const variant of [OUTBOX, PUTMANY]) {
      const checks = queued.map((q) => rowOf(rows, `calls of 1, sequential @ ${label(q)} queued`, variant));
      goals.push({
        goal: `${variant} ≥ SQLite for sequential single-record calls`,
        met: checks.every((row) => (row.ratios[SQLITE] ?? 0) >= 1),
        detail: checks.map((row) => `${row.group.replace(' queued', '')}: ${formatRatio(row.ratios[SQLITE])} (CPU ${format(row.extra['CPU µs/record'] ?? 0)} µs/call vs SQLite's ${format(rowOf(rows, row.group, SQLITE).extra['CPU µs/record'] ?? 0)})`).join('; '),
      });
    }
    for (const variant of [OUTBOX, PUTMANY]) {
      const checks = queued.map((q) => rowOf(rows, `calls of 100 @ ${label(q)} queued`, variant));
      goals.push({
        goal: `${variant} ≥ 0.5× a raw append+fsync loop of the same bytes at 100 per call`,
        met: checks.every((row) => (row.ratios[RAW] ?? 0) >= 0.5),
        detail: checks.map((row) => `${row.group.replace(' queued', '')}: ${formatRatio(row.ratios[RAW])}`).join('; '),
      });
    }
    const big = queued[queued.length - 1] as number;
    for (const variant of [OUTBOX, PUTMANY]) {
      const checks = PATTERNS.map((pattern) => rowOf(rows, `${pattern.label} @ ${label(big)} queued`, variant));
      goals.push({
        goal: `${variant} ≥ 10× the naive outbox at ${label(big)} queued`,
        met: checks.every((row) => (row.ratios[NAIVE] ?? 0) >= 10),
        detail: checks.map((row) => `${row.group.replace(` @ ${label(big)} queued`, '')}: ${formatRatio(row.ratios[NAIVE])}`).join('; '),
      });
    }
    return {
      params: { queued, rounds, window: `queue/2 records or ${capMs} ms, whichever first (at least one call)`, patterns: PATTERNS },
      rows,
      goals,
      notes: [
        `each round: one fresh directory per variant, prefilled (untimed) to the queue size; per pattern, each variant in turn (order rotating per round) is timed until queue/2 more records or ${capMs} ms (so "@ 1k" spans at most 1k→1.5k), then those records are removed again (untimed)`,
        '"CPU µs/record": CPU time of this process (all threads) during the timed calls, per record: less sensitive to other load on the machine than records/s',
        `${SQLITE}: ${sqliteModes}, one row per entry (key, seq, JSON), one transaction per call; better-sqlite3 commits synchronously, so "100 concurrent" calls are 100 commits`,
        `${NAIVE}: write temp → fsync → rename per call, serialised, no group commit (no directory fsync: favours the baseline)`,
        `${RAW}: the floor: each call's entries as one JSON line, appended to one file and fsynced, serialised, nothing else (no validation, no state, no lock, no compaction, no group commit)`,
        `${OUTBOX} validates records (zod) and keeps the queue state; the baselines and ${PUTMANY} take ready entries`,
      ],
    };
  },
};
