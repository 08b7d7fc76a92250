// `wks-mail-outbox requeue [ID...]`: dead letters go back to the queue, to be sent by the next `send`.
import { describe, expect, it } from 'vitest';
import { queueContents, seedOutbox } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');

describe.concurrent('requeue puts dead-lettered records back in the queue', () => {
  it('all of them when no id is given', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b'], pending: ['p-1'] });
    const run = await runCli(['requeue', '--dir', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('requeued 2 record(s)');
    expect(await queueContents(dir)).toEqual({ pending: ['p-1', 'poison-a', 'poison-b'], dead: [] });
  });

  it('only the ids given, the others stay dead-lettered', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b', 'poison-c'] });
    const run = await runCli(['requeue', 'poison-b', '--dir', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ event: 'requeued', count: 1 }]);
    expect(await queueContents(dir)).toEqual({ pending: ['poison-b'], dead: ['poison-a', 'poison-c'] });
  });
});
