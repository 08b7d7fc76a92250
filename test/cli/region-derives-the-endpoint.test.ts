// `--region` instead of `--endpoint`. The derived endpoint is the real service, which a test
// cannot reach: these runs stop before any request (nothing to send), or are usage errors.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { PROJECT } from '../helpers/project.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');
const env = { HUAWEICLOUD_AUTH_TOKEN: 'token-for-a-run-that-sends-nothing' };

describe.concurrent('--region', () => {
  it('of a known region is accepted in place of --endpoint (with nothing to send: exit 0 and a summary)', async () => {
    const run = await runCli(['send', '-', '--region', 'ap-southeast-1', '--project', PROJECT, '--dir', join(await tempDir(), 'outbox'), '--json'], { env, stdin: '[]' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', sent: 0, failed: 0, pending: 0 });
  });

  it('of an unknown region is a usage error (exit 1) that lists the known regions', async () => {
    const run = await runCli(['send', '-', '--region', 'mars-north-1', '--project', PROJECT, '--dir', join(await tempDir(), 'outbox')], { env, stdin: '[{"id":"r-1"}]' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^wks-mail-outbox: --region: /);
    expect(run.stderr).toContain('ap-southeast-1');
    expect(run.stderr).toContain('cn-north-4');
  });
});
