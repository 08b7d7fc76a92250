// Exit code 2: the run finished, but the service refused some records (they are dead letters).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MockWorkspace } from '../../src/mock-server.js';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { runCli, serviceArgs, tokenEnv, type CliRun } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe('a send where the service refuses a record', () => {
  let mock: MockWorkspace;
  let dir: string;
  let run: CliRun;
  beforeAll(async () => {
    mock = await startMock({ poisonIds: ['poison-7'] });
    dir = join(await tempDir(), 'outbox');
    run = await runCli(['send', '-', ...serviceArgs(mock, dir)], { env: tokenEnv(mock), stdin: JSON.stringify([...recordsWithAccounts(6, 'ok'), { id: 'poison-7' }]) });
  });

  it('exits 2, and says why on stderr (last, after the line of the request that refused it)', () => {
    expect(run.stderr).toMatch(/\[rejected\] · 1 record\(s\) dead-lettered \(rejected\): poison-7\n/);
    expect(run.stderr).toMatch(/\nwks-mail-outbox: some records were dead-lettered; `wks-mail-outbox dead` lists them\n$/);
    expect(run.code).toBe(2);
  });

  it('delivers every other record', () => {
    expect(mock.deliveredIds().sort()).toEqual(recordsWithAccounts(6, 'ok').map((record) => record.id).sort());
  });

  it('names the dead-lettered record and its reason in the summary', () => {
    expect(run.stdout).toMatch(/dead-lettered\s+1\b/);
    expect(run.stdout).toMatch(/poison-7\s+rejected/);
  });

  it('keeps it as a dead letter in --dir', async () => {
    expect(await queueContents(dir)).toEqual({ pending: [], dead: ['poison-7'] });
  });
});
