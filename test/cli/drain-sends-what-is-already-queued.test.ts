// `drain` sends the records an earlier run left in --dir, with no input to give (no `[]` piped
// in); with nothing queued it says so and exits 0.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueContents, seedOutbox } from '../helpers/cli-outbox-dir.js';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe.concurrent('drain', () => {
  it('delivers the queued records, reads no stdin, and leaves the directory empty', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    await seedOutbox(dir, { pending: ['left-0', 'left-1', 'left-2'], projectId: mock.projectId });
    // stdin holds records that must NOT be sent: drain takes no input.
    const run = await runCli(['drain', ...serviceArgs(mock, dir)], { env: tokenEnv(mock), stdin: '[{"id":"not-input"}]' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(mock.deliveredIds().sort()).toEqual(['left-0', 'left-1', 'left-2']);
    expect(run.stdout).toMatch(/^ {2}sent +3$/m);
    expect(await queueContents(dir)).toEqual({ pending: [], dead: [] });
  });

  it('with nothing queued: says so, sends nothing, exits 0', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    const run = await runCli(['drain', ...serviceArgs(mock, dir)], { env: tokenEnv(mock) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`nothing queued in ${dir}`);
    expect(mock.requests).toEqual([]);
  });

  it('a FILE is a usage error (drain sends only what is queued)', async () => {
    const mock = await startMock();
    const run = await runCli(['drain', 'records.json', ...serviceArgs(mock, join(await tempDir(), 'outbox'))], { env: tokenEnv(mock) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wks-mail-outbox: drain takes no FILE/);
  });
});
