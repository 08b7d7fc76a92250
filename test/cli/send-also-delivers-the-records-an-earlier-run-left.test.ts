// Records an earlier run left in --dir (it paused, or was stopped) go out with the next `send`:
// "records are kept; fix it and run again".
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueContents, seedOutbox } from '../helpers/cli-outbox-dir.js';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe('send with records left in --dir', () => {
  it('delivers them together with the new ones, and leaves the directory empty', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    await seedOutbox(dir, { pending: ['left-0', 'left-1', 'left-2'], projectId: mock.projectId });
    const fresh = recordsWithAccounts(2, 'fresh');
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir)], { env: tokenEnv(mock), stdin: JSON.stringify(fresh) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(['fresh-0', 'fresh-1', 'left-0', 'left-1', 'left-2']);
    expect(run.stdout).toMatch(/^ {2}sent +5$/m);
    expect(await queueContents(dir)).toEqual({ pending: [], dead: [] });
  });
});
