// The CLI with --postgres: exit codes and messages. `--postgres URL` is "never printed"; a run
// is "one more worker"; exit 4 when --deadline passes with records kept; 1 for errors, with the
// message on stderr; purge by ids with quotes and backslashes reaches exactly those rows.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOutbox } from '../../../src/postgres.js';
import { jsonLines, runCli } from '../../helpers/cli-run.js';
import { useMocks } from '../../helpers/mock-service.js';
import { records } from '../../helpers/records.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { pgUrl, postgresMissing, usePostgres } from '../../helpers/postgres.js';

const db = usePostgres();
const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const PASSWORD = 'Cli-S3cret-77';

(postgresMissing ? describe.skip : describe.concurrent)('the CLI over PostgreSQL, attacked', () => {
  it.each([
    ['a password with # (an invalid URL)', `postgres://someone:${PASSWORD}#x@127.0.0.1:1/test`],
    ['a host that does not resolve', `postgres://someone:${PASSWORD}@no-such-host.invalid/test`],
  ])('send with %s: exit 1, a StoreError on stderr, no password, no URL', async (_, url) => {
    const mock = await startMock();
    const file = join(await tempDir(), 'records.json');
    await writeFile(file, JSON.stringify(records('c1')));
    const run = await runCli(['send', file, '--endpoint', mock.url, '--project', mock.projectId, '--postgres', url, '--json'], { env: { HUAWEICLOUD_AUTH_TOKEN: mock.token } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PostgreSQL/);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout + run.stderr).not.toContain('someone:');
    expect(mock.requests).toEqual([]);
  });

  it('drain --deadline 2s over a queue whose gate is closed for an hour: exit 4, the records kept and counted', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: db.pool(1), schema });
    await producer.enqueue(records('g1', 'g2'));
    await producer.close();
    await db.pool(1).query(`INSERT INTO "${schema}".meta (key, value) VALUES ($1, $2)`, [`gate:${mock.url}`, Date.now() + 3_600_000]);
    const env = { HUAWEICLOUD_AUTH_TOKEN: mock.token, WKS_PG_URL: pgUrl() };
    const run = await runCli(['drain', '--endpoint', mock.url, '--project', mock.projectId, '--schema', schema, '--deadline', '2s', '--json'], { env });
    expect(run.code).toBe(4);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'summary', sent: 0, pending: 2, stopped: 'deadline' });
    expect(mock.requests).toEqual([]);
  });

  it('purge by ids with quotes and backslashes removes exactly those rows', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const ids = [`a'b`, `a"b`, `a\\b`, `a\\"b`, 'plain'];
    const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: db.pool(1), schema });
    await producer.enqueue(records(...ids));
    await producer.close();
    const env = { WKS_PG_URL: pgUrl() };
    const run = await runCli(['purge', `a'b`, `a\\"b`, '--schema', schema, '--json'], { env });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ event: 'purged', count: 2 }]);
    const { rows } = await db.pool(1).query(`SELECT entry FROM "${schema}".entries`);
    expect(rows.map((row) => (JSON.parse(row.entry as string) as { record: { id: string } }).record.id).sort()).toEqual([`a"b`, `a\\b`, 'plain'].sort());
  });
});
