// `--json` event lines name records by id (and project, attempt…): a record that retries is
// not printed again and again with its accounts (e-mail addresses). `--records` adds the whole records.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const RECORDS = [
  { id: 'mail-0', account: 'alice@example.com', app_group_id: 'grp-1' },
  { id: 'mail-1', account: 'bob@example.com', app_group_id: 'grp-1' },
];

async function jsonRun(extra: string[]) {
  const mock = await startMock({ faults: [{ status: 503, retryAfter: 1 }] });
  const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox')), '--json', ...extra], { env: tokenEnv(mock), stdin: JSON.stringify(RECORDS) });
  expect(run.code, run.stderr).toBe(0);
  return { mock, lines: jsonLines(run.stdout), stdout: run.stdout };
}

describe.concurrent('--json record lines', () => {
  it('by default: ids, project and attempt, no record and no e-mail address anywhere on stdout', async () => {
    const { mock, lines, stdout } = await jsonRun([]);
    for (const event of ['enqueued', 'retrying', 'sent']) {
      const ofEvent = lines.filter((line) => line.event === event);
      expect(ofEvent.map((line) => line.id).sort(), event).toEqual(['mail-0', 'mail-1']);
      for (const line of ofEvent) {
        expect(line).toMatchObject({ projectId: mock.projectId });
        expect(line).not.toHaveProperty('record');
      }
    }
    expect(lines.filter((line) => line.event === 'retrying')).toEqual([expect.objectContaining({ attempt: 1 }), expect.objectContaining({ attempt: 1 })]);
    expect(lines.filter((line) => line.event === 'sending')).toEqual([
      expect.objectContaining({ ids: ['mail-0', 'mail-1'], attempt: 1 }),
      expect.objectContaining({ ids: ['mail-0', 'mail-1'], attempt: 2 }),
    ]);
    for (const line of lines) expect(line).not.toHaveProperty('records');
    expect(stdout).not.toContain('@example.com');
  });

  it('with --records: the whole records as well', async () => {
    const { lines } = await jsonRun(['--records']);
    expect(lines.find((line) => line.event === 'sent')).toMatchObject({ id: 'mail-0', record: RECORDS[0] });
    expect(lines.find((line) => line.event === 'sending')).toMatchObject({ ids: ['mail-0', 'mail-1'], records: RECORDS });
  });

  it('--records without --json is a usage error', async () => {
    const run = await runCli(['send', '-', '--records']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wks-mail-outbox: --records goes with --json/);
  });
});
