// `wks-mail-outbox send FILE`: the records come in whichever shape the user has at hand, and
// every one of them reaches the service.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

async function sendFile(content: unknown) {
  const mock = await startMock();
  const dir = await tempDir();
  const file = join(dir, 'records.json');
  await writeFile(file, JSON.stringify(content));
  const run = await runCli(['send', file, ...serviceArgs(mock, join(dir, 'outbox'))], { env: tokenEnv(mock) });
  return { mock, run };
}

describe.concurrent('send FILE delivers every record of the file and exits 0', () => {
  it('when the file holds a JSON array of records', async () => {
    const records = recordsWithAccounts(7, 'array');
    const { mock, run } = await sendFile(records);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });

  it('when the file holds the send API body { "records": [...] }', async () => {
    const records = recordsWithAccounts(4, 'body');
    const { mock, run } = await sendFile({ records });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
  });

  it('when the file is the list API response { count, records } as it comes (null fields and listing fields included)', async () => {
    const listed = {
      count: 2,
      records: [
        { id: 'listed-1', account: 'alice', account_auth_type: 'USER', account_auth_name: null, app_group_id: 'grp-1', app_group_name: 'Finance', mail_send_type: 'ADD_GROUP_AUTHORIZATION', mail_send_result: 'FAIL', error_msg: 'mailbox full', send_at: '2024-05-01T10:00:00Z' },
        { id: 'listed-2', account: 'bob', account_auth_type: 'USER_GROUP', account_auth_name: null, app_group_id: 'grp-1', app_group_name: null, mail_send_type: 'ADD_GROUP_AUTHORIZATION', mail_send_result: 'FAIL', error_msg: null, send_at: null },
      ],
    };
    const { mock, run } = await sendFile(listed);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(['listed-1', 'listed-2']);
    const sent = mock.requests.flatMap((request) => request.records ?? []);
    expect(sent.find((record) => record.id === 'listed-1')).toMatchObject({ account: 'alice', app_group_id: 'grp-1' });
  });
});
