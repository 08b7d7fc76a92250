// `--json` is for tools that wrap the CLI: stdout is one JSON object per line, one per event as
// it happens, and the last line is the summary.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv, type CliRun } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const RECORDS = [...recordsWithAccounts(5, 'json'), { id: 'poison-json' }];

describe('send --json through a 503 and a refused record', () => {
  let run: CliRun;
  const lines = () => jsonLines(run.stdout);
  beforeAll(async () => {
    const mock = await startMock({ poisonIds: ['poison-json'], faults: [{ status: 503, retryAfter: 1 }] });
    run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox')), '--json'], { env: tokenEnv(mock), stdin: JSON.stringify(RECORDS) });
  });

  it('prints only JSON objects on stdout, one per line (failing requests and the reason for exit 2 go to stderr)', () => {
    expect(run.stderr).toMatch(/\nwks-mail-outbox: some records were dead-lettered.*\n$/);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(lines().length).toBe(run.stdout.split('\n').length - 1);
  });

  it('gives every line an "event" name, and every event a time', () => {
    for (const line of lines()) expect(typeof line.event).toBe('string');
    for (const line of lines().slice(0, -1)) {
      if (line.event !== 'message') expect(Number.isNaN(Date.parse(String(line.at)))).toBe(false);
    }
  });

  it('reports the events as they happened: enqueued, sending, retrying, sent, failed, drained', () => {
    const count = (event: string) => lines().filter((line) => line.event === event).length;
    expect(count('enqueued')).toBe(RECORDS.length);
    expect(count('sending')).toBeGreaterThanOrEqual(3);
    expect(count('retrying')).toBe(RECORDS.length);
    expect(count('sent')).toBe(RECORDS.length - 1);
    expect(lines().filter((line) => line.event === 'failed')).toEqual([expect.objectContaining({ id: 'poison-json', reason: 'rejected' })]);
    expect(count('drained')).toBe(1);
  });

  it('ends with the summary line: sent, failed, pending and the dead letters', () => {
    expect(lines().at(-1)).toMatchObject({
      event: 'summary',
      sent: RECORDS.length - 1,
      failed: 1,
      pending: 0,
      dead: [{ id: 'poison-json', reason: 'rejected' }],
    });
    expect(lines().filter((line) => line.event === 'summary')).toHaveLength(1);
  });

  it('exits 2 (a record was dead-lettered)', () => {
    expect(run.code).toBe(2);
  });
});
