// `wks-mail-outbox status`: what an outbox directory holds, without sending and without credentials.
import { describe, expect, it } from 'vitest';
import { seedOutbox } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');

describe.concurrent('status counts the pending and dead-lettered records of --dir (no credentials needed)', () => {
  it('as a line for people', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-1'], pending: ['p-1', 'p-2', 'p-3'] });
    const run = await runCli(['status', '--dir', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pending 3\b/);
    expect(run.stdout).toMatch(/dead-lettered 1\b/);
  });

  it('as one JSON object with --json', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-1', 'poison-2'], pending: ['p-1'] });
    const run = await runCli(['status', '--dir', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ event: 'status', pending: 1, waiting: 0, dead: 2 }]);
  });
});
