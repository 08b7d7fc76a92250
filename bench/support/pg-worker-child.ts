// One worker of the postgres-drain case, in its own process (its CPU does not compete with the
// other workers' event loops nor the mock's): on `open`, a fleet outbox over its own pg Pool
// (connected and migrated, not started); on `go`, started; reports its deliveries as they come
// (`sent` messages, a count per tick); on `close`, closed, with the CPU it used since `go`.
import type pg from 'pg';
import { createOutbox, type PostgresOutbox } from '../../src/postgres.js';
import { makePool } from './pg-schemas.js';

/** What a worker is opened with. */
export interface PgWorkerConfig {
  schema: string;
  endpoint: string;
  projectId: string;
  token: string;
  batchSize: number;
  poolSize: number;
}

/** What the parent asks; each command carries an `id` its answer repeats. */
export type PgWorkerRequest = { type: 'open'; config: PgWorkerConfig } | { type: 'go' } | { type: 'close' };
export type PgWorkerCommand = PgWorkerRequest & { id: number };

/** Messages to the parent: answers (`id`), delivery counts, problems. */
export type PgWorkerMessage = { id: number; ok: true; cpuUs?: number; sent?: number } | { id: number; ok: false; error: string } | { sent: number } | { problem: string } | { ready: true };

const send = (message: PgWorkerMessage) => process.send?.(message);
let current: { outbox: PostgresOutbox; pool: pg.Pool; cpu?: NodeJS.CpuUsage; sent: number } | undefined;
let unreported = 0;

async function handle(command: PgWorkerCommand): Promise<{ cpuUs?: number; sent?: number }> {
  if (command.type === 'open') {
    if (current) throw new Error('already open');
    const { config } = command;
    const pool = makePool(config.poolSize);
    const outbox = createOutbox({ endpoint: config.endpoint, projectId: config.projectId, auth: { token: config.token }, language: 'en-us', pool, schema: config.schema, batchSize: config.batchSize });
    const opened = { outbox, pool, sent: 0 };
    current = opened;
    outbox.on('sent', () => {
      opened.sent++;
      // One message per tick, however many records a batch settled.
      if (unreported++ > 0) return;
      setImmediate(() => {
        send({ sent: unreported });
        unreported = 0;
      });
    });
    outbox.on('failed', ({ record, reason }) => send({ problem: `failed ${record.id}: ${reason}` }));
    outbox.on('error', ({ error, during }) => send({ problem: `error during ${during}: ${error.message}` }));
    await outbox.counts(); // connected and migrated before the clock starts
    return {};
  }
  if (!current) throw new Error('not open');
  if (command.type === 'go') {
    current.cpu = process.cpuUsage();
    current.outbox.start();
    return {};
  }
  const { outbox, pool, cpu, sent } = current;
  current = undefined;
  const used = cpu ? process.cpuUsage(cpu) : undefined;
  await outbox.close();
  await pool.end();
  return { cpuUs: used ? used.user + used.system : 0, sent };
}

process.on('message', (command: PgWorkerCommand) => {
  handle(command).then(
    (answer) => send({ id: command.id, ok: true, ...answer }),
    (error: Error) => send({ id: command.id, ok: false, error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
