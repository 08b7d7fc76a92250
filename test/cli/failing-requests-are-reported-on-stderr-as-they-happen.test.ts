// Every failing request is one line on stderr as it happens, in human and in --json mode (stdout
// stays JSON): what failed, the status and kind (or the network failure), and what comes next:
// the retry time, the dead-lettering, or the pause.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe.concurrent('failing requests on stderr', () => {
  it('a 503 with Retry-After: one line for the request (not one per record) with status, kind, attempt and retry time; then it is sent', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1, errorCode: 'WKS.0503' }] });
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify(recordsWithAccounts(3, 'busy')) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^wks-mail-outbox: POST /v1/${mock.projectId}/mails/actions/send answered 503 WKS\\.0503.* \\[retryable\\] · 3 record\\(s\\), attempt 1; retrying at ${ISO} \\(in [\\d.]+ s\\)$`)),
    ]);
  });

  it('in --json mode too: the same human line on stderr, while stdout holds only JSON', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1 }] });
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox')), '--json'], { env: tokenEnv(mock), stdin: JSON.stringify(recordsWithAccounts(2, 'busy-json')) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^wks-mail-outbox: .*answered 503.*retrying at/);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', sent: 2 });
  });

  it('a record the service refuses (400): one line naming it and its dead-lettering', async () => {
    const mock = await startMock({ poisonIds: ['poison-1'] });
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock), stdin: JSON.stringify([{ id: 'poison-1' }]) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^wks-mail-outbox: .*answered 400.* \[rejected\] · 1 record\(s\) dead-lettered \(rejected\): poison-1$/m);
  });

  it('a wrong token (401): one line saying sending paused, records kept', async () => {
    const mock = await startMock();
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: { HUAWEICLOUD_AUTH_TOKEN: 'a-wrong-token' }, stdin: JSON.stringify([{ id: 'kept-1' }]) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^wks-mail-outbox: .*answered 401.* \[auth\] · sending paused \(auth\); the records are kept$/m);
    expect(run.stderr).not.toContain('a-wrong-token');
  });
});
