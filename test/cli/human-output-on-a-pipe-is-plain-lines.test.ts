// Without --json, output is for people. On a pipe or in a log file (not a terminal) it is plain
// lines: no escape codes, no redrawn bar, then a summary with the counts.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESC, runCli, serviceArgs, tokenEnv, type CliRun } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe('human output on a pipe', () => {
  let eventful: CliRun;
  let paused: CliRun;
  beforeAll(async () => {
    const [mock, pausingMock] = await Promise.all([
      startMock({ poisonIds: ['poison-human'], faults: [{ status: 503, retryAfter: 1 }] }),
      startMock(),
    ]);
    const dir = join(await tempDir(), 'outbox');
    [eventful, paused] = await Promise.all([
      // 6 records in batches of 2: a 503 first, then the refused record is split out.
      runCli(['send', '-', ...serviceArgs(mock, dir), '--batch-size', '2'], { env: tokenEnv(mock), stdin: JSON.stringify([...recordsWithAccounts(5, 'human'), { id: 'poison-human' }]) }),
      runCli(['send', '-', ...serviceArgs(pausingMock, join(await tempDir(), 'outbox'))], { env: { HUAWEICLOUD_AUTH_TOKEN: 'not-the-right-token' }, stdin: JSON.stringify(recordsWithAccounts(2, 'paused')) }),
    ]);
  });

  it('has no escape codes, on stdout or stderr, whatever happened', () => {
    for (const run of [eventful, paused]) {
      expect(run.stdout).not.toContain(ESC);
      expect(run.stderr).not.toContain(ESC);
      expect(run.stdout).not.toContain('\r');
    }
  });

  it('shows progress as plain lines, then the summary with sent, dead-lettered, pending and requests', () => {
    expect(eventful.code).toBe(2);
    expect(eventful.stdout).toMatch(/^sent \d+\/6 · retrying \d+ · dead \d+ · pending \d+ · [\d.]+\/s$/m);
    expect(eventful.stdout).toMatch(/^ {2}sent +5$/m);
    expect(eventful.stdout).toMatch(/^ {2}dead-lettered +1$/m);
    expect(eventful.stdout).toMatch(/^ {2}pending +0$/m);
    expect(eventful.stdout).toMatch(/^ {2}requests +\d+$/m);
    expect(eventful.stdout).toMatch(/^ {2}poison-human +rejected/m);
  });

  it('counts in the summary the request that made the outbox pause', () => {
    expect(paused.code).toBe(3);
    expect(paused.stdout).toMatch(/^ {2}pending +2$/m);
    expect(paused.stdout).toMatch(/^ {2}requests +1$/m);
  });
});
