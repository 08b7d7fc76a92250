// status / dead / requeue / purge open the queue alone: no endpoint or credentials needed, and
// they never contact a server, even with an endpoint and a token pointing at a live mock. Also
// on a missing directory, one locked by another process, and a journal with a corrupt line.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../../helpers/cli-run.js';
import { queueContents, seedOutbox } from '../../helpers/cli-outbox-dir.js';
import { useMocks } from '../../helpers/mock-service.js';
import { spawnTs } from '../../helpers/spawn-ts.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const COMMANDS = ['status', 'dead', 'requeue', 'purge'] as const;

describe.concurrent('CLI maintenance commands never reach a server', () => {
  it('on a seeded directory, with a live mock in args and env: each command works and the mock gets 0 requests', async () => {
    const mock = await startMock();
    const dir = await tempDir('cli-seeded');
    await seedOutbox(dir, { dead: ['d1', 'd2'], pending: ['p1'], projectId: mock.projectId });
    const env = { ...tokenEnv(mock), HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '' };
    const status = await runCli(['status', '--json', ...serviceArgs(mock, dir)], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ event: 'status', pending: 1, dead: 2 });
    const dead = await runCli(['dead', '--json', '--dir', dir], { env });
    expect(jsonLines(dead.stdout).map((line) => line.id).sort()).toEqual(['d1', 'd2']);
    const requeue = await runCli(['requeue', 'd1', '--json', ...serviceArgs(mock, dir)], { env });
    expect(jsonLines(requeue.stdout).at(-1)).toMatchObject({ event: 'requeued', count: 1 });
    const purge = await runCli(['purge', '--json', ...serviceArgs(mock, dir)], { env });
    expect(jsonLines(purge.stdout).at(-1)).toMatchObject({ event: 'purged', count: 1 });
    expect(await queueContents(dir)).toEqual({ pending: ['d1', 'p1'], dead: [] });
    expect(mock.requests).toHaveLength(0);
  });

  it('with no endpoint and no credentials at all, on a missing directory: exit 0, an empty queue', async () => {
    const parent = await tempDir('cli-missing');
    const dir = join(parent, 'not', 'there');
    for (const command of COMMANDS) {
      const run = await runCli([command, '--json', '--dir', dir]);
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
    }
    const status = await runCli(['status', '--json', '--dir', dir]);
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ event: 'status', pending: 0, dead: 0 });
  });

  it('on a directory locked by another process: exit 1 at once, naming the holder, nothing changed, 0 requests', async () => {
    const mock = await startMock();
    const dir = await tempDir('cli-locked');
    await seedOutbox(dir, { dead: ['L1'], projectId: mock.projectId });
    const holder = spawnTs(new URL('./children/hold-store.ts', import.meta.url), [dir]);
    try {
      await holder.waitForLine((line) => line.startsWith('held '));
      for (const command of COMMANDS) {
        const run = await runCli([command, ...serviceArgs(mock, dir)], { env: tokenEnv(mock), timeoutMs: 20_000 });
        expect(run.code, `${command}: ${run.stdout}`).toBe(1);
        expect(run.stderr).toContain(String(holder.pid));
        expect(run.stderr).not.toContain(mock.token);
      }
    } finally {
      holder.process.stdin.end();
      await holder.exited;
    }
    expect(await queueContents(dir)).toEqual({ pending: [], dead: ['L1'] });
    expect(mock.requests).toHaveLength(0);
  });

  it('with a corrupt journal line: the others load, stderr says so, exit 0, 0 requests', async () => {
    const mock = await startMock();
    const dir = await tempDir('cli-corrupt');
    await seedOutbox(dir, { pending: ['c1', 'c2'], projectId: mock.projectId });
    const journal = join(dir, 'journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
    await writeFile(journal, `{"put":[{"broken"\n${lines.join('\n')}\n`);
    const status = await runCli(['status', '--json', ...serviceArgs(mock, dir)], { env: tokenEnv(mock) });
    expect(status.code, status.stderr).toBe(0);
    expect(jsonLines(status.stdout).at(-1)).toMatchObject({ event: 'status', pending: 2, dead: 0 });
    expect(status.stderr).toMatch(/quarantin|corrupt|could not be read/i);
    expect(mock.requests).toHaveLength(0);
  });
});
