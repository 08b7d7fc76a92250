// SIGINT (Ctrl-C) and SIGTERM end a send cleanly: no new request, the one under way is waited
// for (its outcome counts), the outbox is closed, the summary printed, and the exit code is
// 130 or 143. The records not sent stay queued. The signal reaches the real child while the
// mock holds its request, or while it backs off.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { jsonLines, serviceArgs } from '../helpers/cli-run.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { spawnTs } from '../helpers/spawn-ts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { until } from '../helpers/until.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const CLI = new URL('../../src/cli.ts', import.meta.url);

/**
 * `wks-mail-outbox send - …` as a child we can signal, fed `records` on stdin. Its credentials
 * are the mock's token only (a developer's AK/SK in the test's environment are blanked).
 */
async function startSend(mock: MockWorkspace, records: unknown[], extra: string[] = []) {
  const dir = join(await tempDir(), 'outbox');
  const env = { HUAWEICLOUD_AUTH_TOKEN: mock.token, HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '', HUAWEICLOUD_SDK_SECURITY_TOKEN: '' };
  const child = spawnTs(CLI, ['send', '-', ...serviceArgs(mock, dir), ...extra], { env });
  child.process.stdin.end(JSON.stringify(records));
  return { child, dir };
}

describe.concurrent('a signal ends a send with a summary', () => {
  it('SIGINT while the mock holds the request: the request is waited for, its records count as sent, exit 130', async () => {
    const mock = await startMock({ faults: [{ delayMs: 4_000 }] });
    const records = recordsWithAccounts(3, 'held');
    const { child, dir } = await startSend(mock, records);
    try {
      await until(() => mock.requests.length === 1, 'the request to reach the mock', 30_000);
      child.process.kill('SIGINT');
      const { code, signal } = await child.exited;
      expect({ code, signal }, child.stderr()).toEqual({ code: 130, signal: null });
      expect(child.stderr()).toContain('wks-mail-outbox: SIGINT received: stopping');
      expect(child.stderr()).toMatch(/wks-mail-outbox: stopped by SIGINT; the records not sent are kept\n$/);
      const stdout = child.lines.join('\n');
      expect(stdout).toMatch(/^ {2}sent +3$/m);
      expect(stdout).toMatch(/^ {2}pending +0$/m);
      expect(stdout).toMatch(/stopped: by SIGINT/);
      expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
      expect(mock.requests).toHaveLength(1);
      expect(await queueContents(dir)).toEqual({ pending: [], dead: [] });
    } finally {
      await child.kill();
    }
  });

  it('SIGTERM while backing off (--json): no further request, the records stay queued, a JSON summary, exit 143', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 600 }] });
    const records = recordsWithAccounts(3, 'waiting');
    const { child, dir } = await startSend(mock, records, ['--json']);
    try {
      await until(() => child.stderr().includes('retrying at'), 'the retry to be scheduled', 30_000);
      child.process.kill('SIGTERM');
      const { code, signal } = await child.exited;
      expect({ code, signal }, child.stderr()).toEqual({ code: 143, signal: null });
      expect(child.stderr()).toMatch(/wks-mail-outbox: stopped by SIGTERM; the records not sent are kept\n$/);
      expect(jsonLines(child.lines.join('\n')).at(-1)).toMatchObject({ event: 'summary', sent: 0, failed: 0, pending: 3, stopped: 'SIGTERM' });
      expect(mock.requests).toHaveLength(1);
      expect(await queueContents(dir)).toEqual({ pending: records.map((record) => record.id).sort(), dead: [] });
    } finally {
      await child.kill();
    }
  });

  it('a second SIGINT while a request is held exits at once (130), the records still queued', async () => {
    const mock = await startMock({ faults: [{ delayMs: 20_000 }] });
    const records = recordsWithAccounts(2, 'impatient');
    const { child, dir } = await startSend(mock, records);
    try {
      await until(() => mock.requests.length === 1, 'the request to reach the mock', 30_000);
      child.process.kill('SIGINT');
      await until(() => child.stderr().includes('SIGINT received'), 'the first SIGINT to be seen', 30_000);
      child.process.kill('SIGINT');
      const { code } = await child.exited;
      expect(code, child.stderr()).toBe(130);
      expect(child.stderr()).toContain('SIGINT again: exiting now');
      expect(await queueContents(dir)).toEqual({ pending: records.map((record) => record.id).sort(), dead: [] });
    } finally {
      await child.kill();
    }
  });
});
