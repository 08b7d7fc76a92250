// The CLI with its queue in PostgreSQL (`--postgres URL`, or WKS_PG_URL): send, drain, status,
// dead, requeue and purge work on the fleet's queue; bad combinations are usage errors; a server
// that cannot be reached is a clear error that shows neither the password nor the URL.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOutbox } from '../../src/postgres.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { records } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { pgUrl, postgresMissing, usePostgres } from '../helpers/postgres.js';

const db = usePostgres();
const startMock = useMocks('file');
const tempDir = useTempDirs('file');

(postgresMissing ? describe.skip : describe.concurrent)('the CLI over a PostgreSQL queue', () => {
  it('send delivers through PostgreSQL; status then counts the whole queue', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const file = join(await tempDir(), 'records.json');
    await writeFile(file, JSON.stringify(records('s1', 's2', 's3')));
    const env = { HUAWEICLOUD_AUTH_TOKEN: mock.token };
    const sent = await runCli(['send', file, '--endpoint', mock.url, '--project', mock.projectId, '--postgres', pgUrl(), '--schema', schema], { env });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(['s1', 's2', 's3']);
    const status = await runCli(['status', '--postgres', pgUrl(), '--schema', schema, '--json']);
    expect(jsonLines(status.stdout)).toEqual([{ event: 'status', pending: 0, waiting: 0, dead: 0 }]);
  });

  it('drain (WKS_PG_URL) sends what a producer queued; dead, requeue and purge reach the dead letters', { timeout: 90_000 }, async () => {
    const mock = await startMock({ poisonIds: ['bad1', 'bad2'] });
    const schema = db.schema();
    const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: db.pool(1), schema });
    await producer.enqueue(records('ok1', 'bad1', 'bad2'));
    await producer.close();
    const env = { HUAWEICLOUD_AUTH_TOKEN: mock.token, WKS_PG_URL: pgUrl() };
    const drained = await runCli(['drain', '--endpoint', mock.url, '--project', mock.projectId, '--schema', schema], { env });
    expect(drained.code).toBe(2); // some dead-lettered
    expect(mock.deliveredIds()).toEqual(['ok1']);
    const dead = await runCli(['dead', '--schema', schema, '--json'], { env });
    expect(jsonLines(dead.stdout).map((line) => line.id).sort()).toEqual(['bad1', 'bad2']);
    const requeued = await runCli(['requeue', 'bad1', '--schema', schema, '--json'], { env });
    expect(jsonLines(requeued.stdout)).toEqual([{ event: 'requeued', count: 1 }]);
    const status = await runCli(['status', '--schema', schema, '--json'], { env });
    expect(jsonLines(status.stdout)).toEqual([{ event: 'status', pending: 1, waiting: 0, dead: 1 }]);
    const purged = await runCli(['purge', '--schema', schema, '--json'], { env });
    expect(jsonLines(purged.stdout)).toEqual([{ event: 'purged', count: 1 }]);
    const purgedPending = await runCli(['purge', 'bad1', '--schema', schema, '--json'], { env });
    expect(jsonLines(purgedPending.stdout)).toEqual([{ event: 'purged', count: 1 }]);
  });

  it.each([
    [['status', '--dir', '/tmp/x', '--postgres', 'postgres://a@b/c'], /give --dir or --postgres, not both/],
    [['status', '--schema', 'abc'], /--schema goes with --postgres/],
    [['status', '--postgres', 'postgres://a@b/c', '--schema', 'a-b'], /options\.schema must be a PostgreSQL identifier/],
  ])('%j is a usage error naming the problem', async (args, message) => {
    const run = await runCli(args as string[]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('a server that cannot be reached: exit 1, a clear message, no password and no URL', async () => {
    const url = 'postgres://admin:pa55-w0rd-x@127.0.0.1:1/test';
    const run = await runCli(['status', '--postgres', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach PostgreSQL \(ECONNREFUSED\)/);
    expect(run.stderr + run.stdout).not.toContain('pa55-w0rd-x');
    expect(run.stderr + run.stdout).not.toContain(url);
  });
});
