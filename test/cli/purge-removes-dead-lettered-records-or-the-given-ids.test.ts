// `wks-mail-outbox purge [ID...]`: forget dead letters (all), or given records whatever their state.
import { describe, expect, it } from 'vitest';
import { queueContents, seedOutbox } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');

describe.concurrent('purge', () => {
  it('without ids removes every dead-lettered record and leaves the pending ones', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b'], pending: ['p-1', 'p-2'] });
    const run = await runCli(['purge', '--dir', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('purged 2 record(s)');
    expect(await queueContents(dir)).toEqual({ pending: ['p-1', 'p-2'], dead: [] });
  });

  it('with ids removes exactly those records, pending or dead-lettered', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b'], pending: ['p-1', 'p-2'] });
    const run = await runCli(['purge', 'poison-a', 'p-2', '--dir', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ event: 'purged', count: 2 }]);
    expect(await queueContents(dir)).toEqual({ pending: ['p-1'], dead: ['poison-b'] });
  });
});
