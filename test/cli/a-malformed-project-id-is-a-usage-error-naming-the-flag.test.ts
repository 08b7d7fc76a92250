// `--project` must have the documented format (32 lowercase hex characters): anything else is a
// usage error (exit 1) that names the flag and the format, before any request or any write.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

async function refused(project: string, command = 'send'): Promise<string> {
  const mock = await startMock();
  const dir = join(await tempDir(), 'outbox');
  const run = await runCli([command, '--endpoint', mock.url, '--project', project, '--dir', dir], { env: tokenEnv(mock), stdin: JSON.stringify(recordsWithAccounts(2, 'never-sent')) });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(mock.requests).toEqual([]);
  expect(existsSync(dir)).toBe(false);
  expect(run.stderr).toMatch(/^wks-mail-outbox: --project must be a project ID: 32 lowercase hex characters/);
  expect(run.stderr).not.toContain('internal error');
  return run.stderr;
}

describe.concurrent('a malformed --project is a usage error naming the flag and the format', () => {
  it('a short name', async () => {
    expect(await refused('p1')).toContain('got "p1"');
  });

  it('hex of the wrong length', async () => {
    expect(await refused('0123456789abcdef0123456789abcde')).toContain('(31 characters)');
  });

  it('upper-case hex, with the lowercase id to use', async () => {
    expect(await refused('0123456789ABCDEF0123456789ABCDEF')).toContain('use "0123456789abcdef0123456789abcdef"');
  });

  it('also for resend-failed', async () => {
    await refused('maintenance', 'resend-failed');
  });
});
