// Credentials come from the environment (token, or AK/SK with an optional security token),
// never from argv, where `ps` and shell history would show them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const AK = 'AKIDCLITEST0000000001';
const SK = 'sk-cli-test-9f8e7d6c5b4a39281706';

async function send(argv: (service: string[]) => string[], env: Record<string, string>) {
  const mock = await startMock({ credentials: [{ ak: AK, sk: SK }] });
  const records = recordsWithAccounts(2, 'cred');
  const run = await runCli(argv(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))]), { env, stdin: JSON.stringify(records) });
  return { mock, run, ids: records.map((record) => record.id).sort() };
}

describe.concurrent('credentials', () => {
  it('HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK sign the requests (no token sent) and the records are delivered', async () => {
    const { mock, run, ids } = await send((argv) => argv, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(ids);
    for (const request of mock.requests) {
      expect(request.headers.authorization).toBe('[redacted]');
      expect(request.headers['x-auth-token']).toBeUndefined();
    }
  });

  it('--token on the command line is refused (exit 1), without repeating the value', async () => {
    const { mock, run } = await send((argv) => [...argv, '--token', 'token-typed-on-the-command-line'], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('credentials are not accepted on the command line');
    expect(run.stderr).toContain('HUAWEICLOUD_AUTH_TOKEN');
    expect(run.stderr + run.stdout).not.toContain('token-typed-on-the-command-line');
    expect(mock.requests).toEqual([]);
  });

  it('--ak / --sk on the command line are refused (exit 1), without repeating the values', async () => {
    const { mock, run } = await send((argv) => [...argv, `--ak=${AK}`, `--sk=${SK}`], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('credentials are not accepted on the command line');
    expect(run.stderr + run.stdout).not.toContain(AK);
    expect(run.stderr + run.stdout).not.toContain(SK);
    expect(mock.requests).toEqual([]);
  });

  it('none in the environment: exit 1 naming the variables to set', async () => {
    const { mock, run } = await send((argv) => argv, {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wks-mail-outbox: no credentials: set HUAWEICLOUD_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    expect(mock.requests).toEqual([]);
  });
});
