// `wks-mail-outbox resend-failed --app-group ID`: asks the list API for the group's records whose
// last send FAILed (every page of them) and resends exactly those.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MockRecord } from '../../src/mock-server.js';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

const records = (count: number, group: string, result: 'FAIL' | 'SUCCESS'): MockRecord[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `${group}-${result.toLowerCase()}-${index}`,
    account: `user-${index}`,
    app_group_id: group,
    mail_send_type: 'ADD_GROUP_AUTHORIZATION',
    mail_send_result: result,
  }));

describe.concurrent('resend-failed', () => {
  it("resends exactly the group's FAIL records, more than one list page of them, each once, and exits 0", async () => {
    // 105 failed records: more than the CLI's list page of 100.
    const failed = records(105, 'grp-a', 'FAIL');
    const mock = await startMock({ records: [...records(5, 'grp-a', 'SUCCESS'), ...failed, ...records(3, 'grp-b', 'FAIL')] });
    const run = await runCli(['resend-failed', '--app-group', 'grp-a', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('found 105 record(s) of grp-a');
    expect(mock.deliveredIds().sort()).toEqual(failed.map((record) => record.id).sort());
    expect(mock.requests.filter((request) => request.api === 'list').every((request) => request.query.mail_send_result === 'FAIL' && request.query.app_group_id === 'grp-a')).toBe(true);
  });

  it('without --app-group is a usage error (exit 1) and asks the service nothing', async () => {
    const mock = await startMock({ records: records(2, 'grp-a', 'FAIL') });
    const run = await runCli(['resend-failed', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--app-group');
    expect(mock.requests).toEqual([]);
  });
});
