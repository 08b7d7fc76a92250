// The queues the postgres-enqueue case writes to, each over its own fresh schema: our fleet
// outbox (not started), pg-boss and graphile-worker, opened (migrated, warm) untimed, then fed
// calls of 1, 10 or 100 records with each library's own single and batch calls.
import { makeWorkerUtils, Logger, type WorkerUtils } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import type { AuthorizationMail } from '../../src/api/schemas.js';
import { createOutbox } from '../../src/postgres.js';
import { PROJECT_ID } from './fixtures.js';
import { makePool, PG_URL } from './pg-schemas.js';

/** Connections each subject may open (their calls are sequential: one is in use at a time). */
export const POOL_SIZE = 4;
/** The queue (pg-boss) or task (graphile-worker) name the jobs go to. */
const QUEUE = 'mail';

export interface EnqueueSubject {
  /** The table (in the subject's schema) that holds one row per enqueued record. */
  table: string;
  /** One call: a single record through the single-job call, several through the batch call. */
  call(records: AuthorizationMail[]): Promise<unknown>;
  close(): Promise<void>;
}

export const OUTBOX = 'outbox.enqueue';
export const PGBOSS = 'pg-boss send/insert';
export const GRAPHILE = 'graphile-worker addJob/addJobs';

/** Opens `name` over `schema`, migrated and with one untimed call made. */
export const OPENERS: Record<string, (schema: string) => Promise<EnqueueSubject>> = {
  [OUTBOX]: async (schema) => {
    const pool = makePool(POOL_SIZE);
    const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: PROJECT_ID, auth: { token: 'bench' }, language: 'en-us', pool, schema });
    await outbox.counts(); // migrates
    return {
      table: 'entries',
      call: (records) => outbox.enqueue(records.length === 1 ? (records[0] as AuthorizationMail) : records),
      close: async () => {
        await outbox.close();
        await pool.end();
      },
    };
  },
  [PGBOSS]: async (schema) => {
    // No maintenance, no cron: only what a producer needs.
    const boss = new PgBoss({ connectionString: PG_URL, schema, max: POOL_SIZE, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(QUEUE);
    return {
      table: 'job',
      call: (records) => (records.length === 1 ? boss.send(QUEUE, records[0] as AuthorizationMail) : boss.insert(QUEUE, records.map((data) => ({ data })))),
      close: () => boss.stop({ graceful: false }),
    };
  },
  [GRAPHILE]: async (schema) => {
    const pgPool = makePool(POOL_SIZE);
    const logger = new Logger(() => () => undefined);
    let utils: WorkerUtils | undefined;
    try {
      utils = await makeWorkerUtils({ pgPool, schema, logger });
      await utils.migrate();
    } catch (error) {
      await utils?.release();
      await pgPool.end();
      throw error;
    }
    const ready = utils;
    return {
      table: '_private_jobs',
      call: (records) => (records.length === 1 ? ready.addJob(QUEUE, records[0] as AuthorizationMail) : ready.addJobs(records.map((payload) => ({ identifier: QUEUE, payload })))),
      close: async () => {
        await ready.release();
        await pgPool.end();
      },
    };
  },
};
