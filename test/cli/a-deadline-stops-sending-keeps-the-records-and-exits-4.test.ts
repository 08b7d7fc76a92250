// `--deadline`: a run against an endpoint that never answers ends when the deadline passes,
// instead of retrying for an hour: sending stops, the records stay queued (durable, for the next
// run), the summary is printed, and the exit code is 4. A deadline that does not pass changes nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

/** A mock that is closed at once: its URL refuses connections, its project id is valid. */
async function unreachable() {
  const mock = await startMock();
  await mock.close();
  return mock;
}

describe.concurrent('--deadline', () => {
  it('stops sending to an endpoint that refuses connections, keeps the records, prints the summary and exits 4', async () => {
    const mock = await unreachable();
    const dir = join(await tempDir(), 'outbox');
    const records = recordsWithAccounts(3, 'late');
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir), '--deadline', '1500ms'], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stdout).toMatch(/^ {2}pending +3$/m);
    expect(run.stdout).toMatch(/stopped: the deadline passed/);
    expect(run.stderr).toMatch(/connection refused.*retrying at/);
    expect(run.stderr).toMatch(/wks-mail-outbox: the deadline passed; the records not sent are kept/);
    expect(await queueContents(dir)).toEqual({ pending: records.map((record) => record.id).sort(), dead: [] });
  });

  it('with --json: stdout stays JSON lines ending with a summary that says why it stopped; stderr has the human lines', async () => {
    const mock = await unreachable();
    const dir = join(await tempDir(), 'outbox');
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir), '--deadline', '1.5s', '--json'], { env: tokenEnv(mock), stdin: JSON.stringify(recordsWithAccounts(2, 'late-json')) });
    expect(run.code, run.stderr).toBe(4);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', sent: 0, failed: 0, pending: 2, stopped: 'deadline' });
    expect(run.stderr).toMatch(/^wks-mail-outbox: POST \/v1\/\S+ failed: connection refused/m);
    for (const line of run.stderr.trim().split('\n')) expect(line).toMatch(/^wks-mail-outbox: /);
  });

  it('a deadline that does not pass: everything is sent, exit 0, and the run does not wait for the deadline', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    const records = recordsWithAccounts(3, 'in-time');
    // 1h: a timer left running would hold the child until the helper calls it hung.
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir), '--deadline', '1h'], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });
});
