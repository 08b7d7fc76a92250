// The database restarts (`pg_ctl restart -m fast`: every connection cut) while two workers drain:
// their failed statements (a delete of delivered records among them) are reported as StoreErrors that name no connection string, nothing is
// lost, and sending resumes by itself when the server is back. A server of the test's own
// (never the machine's, which other test files use at the same time).
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { useMocks } from '../helpers/mock-service.js';
import { makeRecords } from '../helpers/records.js';
import { until } from '../helpers/until.js';
import { within } from '../helpers/within.js';
import { debianPgBin, startPgServer, type PgServer } from '../helpers/pg-server.js';
import { createOutbox, type PostgresOutbox } from '../../src/postgres.js';
import { FAST_RETRY } from '../helpers/fast-retry.js';

const startMock = useMocks();
let server: PgServer | undefined;
const outboxes: PostgresOutbox[] = [];
afterAll(async () => {
  await Promise.allSettled(outboxes.map((outbox) => outbox.close()));
  server?.stop();
});

describe.skipIf(!debianPgBin())('a database restart mid-drain', () => {
  it('loses nothing, reports clear errors, and resumes', { timeout: 90_000 }, async () => {
    server = startPgServer();
    const mock = await startMock({ latencyMs: 10 });
    const problems: string[] = [];
    for (let index = 0; index < 2; index++) {
      const pool = new pg.Pool({ connectionString: server.url, max: 3 });
      pool.on('error', () => undefined);
      const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, pool, batchSize: 10, pollMs: 100 });
      outbox.on('error', ({ error }) => void problems.push(error.message));
      outboxes.push(outbox);
    }
    const [a, b] = outboxes as [PostgresOutbox, PostgresOutbox];
    await a.enqueue(makeRecords(600, 'r'));
    a.start();
    b.start();
    await until(() => mock.deliveredIds().length >= 100, '100 delivered', 30_000);
    server.restart();
    const summaries = await within(Promise.all([a.drain(), b.drain()]), 'the drains after the restart', 60_000);
    expect(summaries.map((s) => s.pending)).toEqual([0, 0]);
    // Each once: a delete the restart cut is owed, and a re-read does not bring its records back.
    expect(mock.deliveredIds().length).toBe(600);
    expect(new Set(mock.deliveredIds()).size).toBe(600);
    expect(await a.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatch(/^store \w+ failed: ([\w ]+: )?PostgreSQL: /);
      expect(problem).not.toContain(server.url);
    }
  });

  it('a server down when the outbox starts: enqueue fails with a StoreError, nothing half-written; once it is up, all goes', { timeout: 60_000 }, async () => {
    server ??= startPgServer();
    const mock = await startMock();
    server.down();
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pool.on('error', () => undefined);
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, pool, schema: 'down_at_start', pollMs: 100 });
    outboxes.push(outbox);
    outbox.start();
    const error = (await outbox.enqueue(makeRecords(5, 'early')).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('StoreError');
    expect(error.message).toMatch(/cannot reach PostgreSQL|the server is starting up or shutting down/);
    server.up();
    await outbox.enqueue(makeRecords(5, 'late'));
    const summary = await within(outbox.drain(), 'the drain once the server is up', 30_000);
    expect(summary).toMatchObject({ pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(['late0', 'late1', 'late2', 'late3', 'late4']);
  });
});
