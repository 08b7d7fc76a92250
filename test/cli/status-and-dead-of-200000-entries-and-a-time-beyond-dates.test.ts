// `status` over 200,000 pending entries once overflowed the stack (Math.max(...all)), and a
// stored time beyond what a Date can hold made toISOString() throw: both printed "internal
// error". The outbox directory is written directly in the journal's format (one put line per
// 10,000 entries, to keep the test fast), then the real CLI reads it.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/index.js';
import { formatTime } from '../../src/cli/format-time.js';
import { entryKey } from '../../src/store/entry.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { PROJECT } from '../helpers/project.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');

/**
 * Loading 200,000 entries takes a child several seconds of CPU (tens on a saturated machine):
 * generous deadlines, and the scenarios run one after the other.
 */
const CHILD_MS = 240_000;
const TEST_MS = 600_000;

const MANY = 200_000;
/** One ms beyond the last time a Date can hold (8.64e15 ms, year 275760). */
const BEYOND_DATES = 8.64e15 + 1;

function entry(id: string, seq: number, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return { key: entryKey(PROJECT, id), record: { id }, projectId: PROJECT, seq, enqueuedAt: Date.now(), attempts: 0, nextAttemptAt: 0, state: 'pending', ...fields };
}

/** An outbox directory whose journal holds `entries`, as FileStore writes it: `{"put":[…]}` lines. */
async function outboxDir(entries: OutboxEntry[]): Promise<string> {
  const dir = join(await tempDir(), 'outbox');
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  let text = '';
  for (let start = 0; start < entries.length; start += 10_000) text += `${JSON.stringify({ put: entries.slice(start, start + 10_000) })}\n`;
  await writeFile(join(dir, 'journal.jsonl'), text, { mode: 0o600 });
  return dir;
}

describe('the queue commands print sensible output for any queue', () => {
  it(`status of ${MANY} pending entries and one due beyond year 275760 exits 0`, async () => {
    const entries = Array.from({ length: MANY }, (_, index) => entry(`p-${index}`, index));
    entries.push(entry('far-future', MANY, { attempts: 1, nextAttemptAt: BEYOND_DATES }));
    const dir = await outboxDir(entries);

    const human = await runCli(['status', '--dir', dir], { timeoutMs: CHILD_MS });
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    // The far-future time is printed as such, or as the capped time the store clamped it to.
    expect(human.stdout).toMatch(
      /^pending 200001 \(1 waiting for backoff\) · dead-lettered 0 · next retry (beyond year 275760 \(8640000000000001 ms since 1970\)|\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\n$/,
    );

    const json = await runCli(['status', '--dir', dir, '--json'], { timeoutMs: CHILD_MS });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([{ event: 'status', pending: MANY + 1, waiting: 1, dead: 0 }]);
  }, TEST_MS);

  it(`dead of ${MANY} dead-lettered entries prints the whole table and exits 0`, async () => {
    const lastError = { name: 'ApiError', message: 'POST /v1/x/mails/actions/send answered 400 WKS.0001', retryable: false, status: 400, errorCode: 'WKS.0001', errorMsg: 'refused' };
    const dir = await outboxDir(Array.from({ length: MANY }, (_, index) => entry(`d-${index}`, index, { state: 'dead', deadReason: 'rejected', attempts: 1, lastError })));
    const run = await runCli(['dead', '--dir', dir], { timeoutMs: CHILD_MS });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(MANY + 1);
    expect(lines[0]).toMatch(/^ {2}dead-lettered id +reason +requests +last error$/);
    expect(lines[1]).toMatch(/^ {2}d-0 +rejected +1 +400 WKS\.0001 refused$/);
  }, TEST_MS);
});

describe('formatTime prints any stored time without throwing', () => {
  it.each<[number, string]>([
    [0, '1970-01-01T00:00:00.000Z'],
    [8.64e15, '+275760-09-13T00:00:00.000Z'],
    [BEYOND_DATES, 'beyond year 275760 (8640000000000001 ms since 1970)'],
    [Number.MAX_VALUE, `beyond year 275760 (${Number.MAX_VALUE} ms since 1970)`],
    [-8.64e15 - 1, 'before year -271821 (-8640000000000001 ms since 1970)'],
    [Number.POSITIVE_INFINITY, 'not a time (Infinity)'],
    [Number.NaN, 'not a time (NaN)'],
  ])('%s → %s', (ms, text) => {
    expect(formatTime(ms)).toBe(text);
  });
});
