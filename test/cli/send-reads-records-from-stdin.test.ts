// `… | wks-mail-outbox send` and `wks-mail-outbox send -`: records piped in are delivered.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecords, runCli, serviceArgs, tokenEnv, useCliFixtures } from './support.js';

const { startMock, tempDir } = useCliFixtures();

describe.concurrent('send reads the records from stdin', () => {
  it('when they are piped in and no FILE is given', async () => {
    const mock = await startMock();
    const records = makeRecords(5, 'piped');
    const run = await runCli(['send', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });

  it('when FILE is "-"', async () => {
    const mock = await startMock();
    const records = makeRecords(3, 'dash');
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify({ records }) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });
});
