// `… | wks-mail-outbox send` and `wks-mail-outbox send -`: records piped in are delivered.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe.concurrent('send reads the records from stdin', () => {
  it('when they are piped in and no FILE is given', async () => {
    const mock = await startMock();
    const records = recordsWithAccounts(5, 'piped');
    const run = await runCli(['send', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });

  it('when FILE is "-"', async () => {
    const mock = await startMock();
    const records = recordsWithAccounts(3, 'dash');
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify({ records }) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });
});
