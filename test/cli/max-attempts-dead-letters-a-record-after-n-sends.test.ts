// `--max-attempts N`: a record that still fails after N sends is dead-lettered (reason
// `max-attempts`), so a run against an unreachable endpoint ends (exit 2) instead of retrying
// 20 times over about an hour; each failed request is on stderr as it happens.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe('--max-attempts 2 against an endpoint that refuses connections', () => {
  it('sends twice, dead-letters the records (max-attempts), reports both failures on stderr and exits 2', async () => {
    const mock = await startMock();
    await mock.close();
    const dir = join(await tempDir(), 'outbox');
    const records = recordsWithAccounts(2, 'unreachable');
    const ids = records.map((record) => record.id).sort();
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir), '--max-attempts', '2', '--json'], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/failed: connection refused.* \[NetworkError: refused\] · 2 record\(s\), attempt 1; retrying at \S+ \(in [\d.]+ s\)$/);
    expect(lines[1]).toMatch(/failed: connection refused.* · 2 record\(s\) dead-lettered \(max-attempts after 2 attempt\(s\)\): unreachable-0, unreachable-1$/);
    expect(lines.at(-1)).toMatch(/some records were dead-lettered/);
    expect(jsonLines(run.stdout).filter((line) => line.event === 'sending')).toHaveLength(2);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', failed: 2, pending: 0, dead: [{ reason: 'max-attempts', attempts: 2 }, { reason: 'max-attempts', attempts: 2 }] });
    expect(await queueContents(dir)).toEqual({ pending: [], dead: ids });
  });
});
