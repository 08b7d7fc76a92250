// Faults of the database under a running fleet. Promises attacked: "a missing database or
// schema … a statement timeout, a restart: each a StoreError that says which … sending resumes by
// itself" (and the message's own advice, "run migrate()"); "on a one-connection pool it only
// polls"; too many connections.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createOutbox, migrate } from '../../../src/postgres.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords, records } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { debianPgBin, startPgServer, type PgServer } from '../../helpers/pg-server.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);
const servers: PgServer[] = [];
afterAll(() => {
  for (const server of servers) server.stop();
});

describe.skipIf(postgresMissing)('faults under a running fleet', () => {
  it('the entries table dropped while a worker runs: StoreErrors that say so, and the advice given ("run migrate()") brings it back', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const pool = db.pool(2);
    const w = worker(mock, schema, { pool });
    const problems: string[] = [];
    w.outbox.on('error', ({ error }) => void problems.push(error.message));
    w.outbox.start();
    await w.outbox.enqueue(records('before'));
    await until(() => mock.deliveredIds().includes('before'), 'the first record', 10_000);
    await db.pool(1).query(`DROP TABLE "${schema}".entries`);
    const refused = (await w.outbox.enqueue(records('during')).catch((e: unknown) => e)) as Error;
    expect(refused.name).toBe('StoreError');
    expect(refused.message).toMatch(/a table of the outbox is missing \(run migrate\(\)/);
    await until(() => problems.some((problem) => /a table of the outbox is missing/.test(problem)), 'the worker reporting it', 10_000);
    // As the message says: run migrate().
    await migrate({ pool, schema });
    // Broken: migrate() sees version 1 recorded in the migrations table and creates nothing.
    const after = (await w.outbox.enqueue(records('after')).catch((e: unknown) => e)) as Error | { added: unknown[] };
    expect(after instanceof Error ? `${after.name}: ${after.message}` : 'stored').toBe('stored');
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds()).toEqual(['before', 'after']);
  });

  it('a worker on a one-connection pool and one on a pool of 3 drain 600 records: each once', { timeout: 60_000 }, async () => {
    const mock = await startMock({ latencyMs: 2 });
    const schema = db.schema();
    const [a, b] = [worker(mock, schema, { pool: db.pool(1), batchSize: 20 }), worker(mock, schema, { batchSize: 20 })];
    await a.outbox.enqueue(makeRecords(600, 'one'));
    a.outbox.start();
    b.outbox.start();
    await within(Promise.all([a.outbox.drain(), b.outbox.drain()]), 'the drains', 50_000);
    expect(new Set(mock.deliveredIds()).size).toBe(600);
    expect(deliveredTwice(mock)).toEqual({});
    expect(a.sent.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!debianPgBin())('a role allowed two connections, a worker with a pool of four', () => {
  it('delivers everything; what fails says "too many connections"; drain() does not throw', { timeout: 120_000 }, async () => {
    const server = startPgServer();
    servers.push(server);
    const admin = new pg.Pool({ connectionString: server.url, max: 1 });
    await admin.query(`CREATE ROLE app LOGIN CONNECTION LIMIT 2`);
    await admin.query(`GRANT CREATE ON DATABASE test TO app`);
    await migrate({ pool: admin, schema: 'limited' });
    await admin.query(`GRANT USAGE ON SCHEMA limited TO app; GRANT ALL ON ALL TABLES IN SCHEMA limited TO app; GRANT ALL ON ALL SEQUENCES IN SCHEMA limited TO app`);
    const mock = await startMock({ latencyMs: 20 });
    const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: admin, schema: 'limited', migrate: false });
    await producer.enqueue(makeRecords(300, 'lim'));
    await producer.close();
    const pool = new pg.Pool({ connectionString: server.url.replace('postgres@', 'app@'), max: 4 });
    pool.on('error', () => undefined);
    const w = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool, schema: 'limited', migrate: false, pollMs: 100, batchSize: 10, concurrency: 3, retry: { minDelayMs: 10, maxDelayMs: 200, jitter: 0 } });
    const problems: Array<{ name: string; message: string }> = [];
    w.on('error', ({ error }) => void problems.push(error));
    try {
      w.start();
      const summary = await within(w.drain(), 'the drain', 90_000);
      expect(summary.pending).toBe(0);
      expect(new Set(mock.deliveredIds()).size).toBe(300);
      // Each a StoreError that says it comes from PostgreSQL (mostly "too many connections"; under
      // load a connection the server cut may be reported as such), never the connection string.
      expect(problems.some((problem) => /too many connections/.test(problem.message))).toBe(problems.length > 0);
      for (const problem of problems) expect(problem.message, problem.message).toMatch(/^store [\w ]+ failed: .*PostgreSQL: /);
      for (const problem of problems) expect(problem.message).not.toContain(server.url);
      // Deletes refused here may be sent again (guarantee (3)); in some runs this same running
      // worker resends ten or twenty of them, see failed-deletes.test.ts. Not asserted: a race.
      expect(Object.keys(deliveredTwice(mock)).length).toBeLessThanOrEqual(300);
    } finally {
      await w.close().catch(() => undefined);
      await pool.end();
      await admin.end();
    }
  });
});
