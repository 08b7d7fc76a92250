// Exit code 3: the outbox paused because credentials, permission or the endpoint need fixing.
// Nothing is lost: the records stay queued for the next run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MockFault } from '../../src/mock-server.js';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli, serviceArgs } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

async function pausedRun(options: { token: (mockToken: string) => string; fault?: MockFault; json?: boolean }) {
  const mock = await startMock({ forbiddenTokens: ['token-without-the-permission'], faults: options.fault ? [options.fault] : [] });
  const dir = join(await tempDir(), 'outbox');
  const records = recordsWithAccounts(3, 'kept');
  const run = await runCli(['send', '-', ...serviceArgs(mock, dir), ...(options.json ? ['--json'] : [])], {
    env: { HUAWEICLOUD_AUTH_TOKEN: options.token(mock.token) },
    stdin: JSON.stringify(records),
  });
  return { mock, run, queue: await queueContents(dir), ids: records.map((record) => record.id).sort() };
}

describe.concurrent('the outbox pauses: exit 3, records kept, the reason shown', () => {
  it('auth: a wrong token (401)', async () => {
    const { mock, run, queue, ids } = await pausedRun({ token: () => 'a-wrong-token' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("the outbox paused");
    expect(run.stdout).toMatch(/paused \(auth\)/);
    expect(run.stdout).toMatch(/pending\s+3\b/);
    expect(queue).toEqual({ pending: ids, dead: [] });
    expect(mock.deliveredIds()).toEqual([]);
  });

  it('forbidden: a token without the permission (403), also in the --json summary', async () => {
    const { run, queue, ids } = await pausedRun({ token: () => 'token-without-the-permission', json: true });
    expect(run.code).toBe(3);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', sent: 0, failed: 0, pending: 3, paused: 'forbidden' });
    expect(queue).toEqual({ pending: ids, dead: [] });
  });

  it('config: the service answers 415 (the endpoint or the client is wrong, not the records), also in the --json summary', async () => {
    const { run, queue, ids } = await pausedRun({ token: (token) => token, fault: { status: 415 }, json: true });
    expect(run.code).toBe(3);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', pending: 3, paused: 'config' });
    expect(queue).toEqual({ pending: ids, dead: [] });
  });
});
