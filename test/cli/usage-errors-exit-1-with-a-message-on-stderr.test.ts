// Exit code 1 for a command line the CLI cannot run: a clear message on stderr, nothing on
// stdout, no request to the service.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

async function usageError(args: (service: string[]) => string[]) {
  const mock = await startMock();
  const run = await runCli(args(serviceArgs(mock, join(await tempDir(), 'outbox'))), { env: tokenEnv(mock), stdin: JSON.stringify(recordsWithAccounts(2, 'never-sent')) });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^wks-mail-outbox: /);
  expect(mock.requests).toEqual([]);
  return run.stderr;
}

describe.concurrent('a usage error exits 1 with a message on stderr and sends nothing', () => {
  it('an unknown option, named, followed by the usage', async () => {
    const stderr = await usageError((service) => ['send', '-', ...service, '--frobnicate']);
    expect(stderr).toContain("'--frobnicate'");
    expect(stderr).toContain('Usage: wks-mail-outbox <command> [options]');
  });

  it('an unknown command, named, followed by the usage', async () => {
    const stderr = await usageError((service) => ['deliver', ...service]);
    expect(stderr).toContain('unknown command "deliver"');
    expect(stderr).toContain('Usage: wks-mail-outbox <command> [options]');
  });

  it('no --project', async () => {
    const stderr = await usageError((service) => ['send', '-', ...service.slice(0, 2), ...service.slice(4)]);
    expect(stderr).toContain('--project is required');
  });
});
