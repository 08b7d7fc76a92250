// Case: fleet drain throughput. N records queued in one PostgreSQL schema, sent through the mock
// service (50 ms latency, in a child process) by 1, 2 and 4 workers: each a fleet outbox
// (createOutbox from wks-mail-outbox/postgres, batch 50) with its own pg Pool, in its own process.
import { createOutbox } from '../../src/postgres.js';
import { format, formatRatio, rowOf, sideBySide, type BenchCase, type Goal, type Variant } from '../harness.js';
import { chunks, makeRecords } from '../support/fixtures.js';
import { startMockProcess } from '../support/mock-process.js';
import { makePool, PgSchemas } from '../support/pg-schemas.js';
import { PgWorkers } from '../support/pg-workers.js';

const BATCH = 50;
const LATENCY_MS = 50;
const POOL_SIZE = 4;
const WORKERS = [1, 2, 4] as const;
const GOALS: ReadonlyArray<readonly [workers: number, wanted: number]> = [
  [2, 1.8],
  [4, 3.2],
];
const nameOf = (workers: number) => `${workers} worker${workers === 1 ? '' : 's'}`;

export const postgresDrain: BenchCase = {
  name: 'postgres-drain',
  title: `fleet drain: 1, 2, 4 workers (own process and pool each) over one PostgreSQL schema, mock service at ${LATENCY_MS} ms latency, batch ${BATCH}`,
  async run({ quick, log }) {
    const count = quick ? 400 : 2000;
    const rounds = quick ? 1 : 5;
    const schemas = new PgSchemas();
    const version = await schemas.check().catch(async (error: Error) => {
      await schemas.dropAll();
      throw error;
    });
    const mock = await startMockProcess({ latencyMs: LATENCY_MS });
    let workers: PgWorkers | undefined;
    let runId = 0;
    try {
      workers = await PgWorkers.start(Math.max(...WORKERS));
      const fleet = workers;
      /** One run: a fresh schema, `records` queued (untimed), `k` workers opened, then timed from `go` until the last record is reported sent. */
      const drainRun = async (k: number, records: number) => {
        const schema = schemas.name('drain');
        const pool = makePool(2);
        const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, language: 'en-us', pool, schema, batchSize: BATCH });
        try {
          for (const chunk of chunks(makeRecords(records, `d${runId++}`), 500)) await producer.enqueue(chunk);
          await fleet.open(k, { schema, endpoint: mock.url, projectId: mock.projectId, token: mock.token, batchSize: BATCH, poolSize: POOL_SIZE });
          const start = performance.now();
          const ended = await fleet.go(k, records, 120_000).catch((error: Error) => error);
          const closed = await fleet.close(k);
          if (ended instanceof Error) throw ended;
          const ms = ended - start;
          const stats = await mock.stats();
          await mock.reset();
          const counts = await producer.counts();
          const problems = fleet.takeProblems();
          if (stats.delivered !== records || stats.uniqueDelivered !== records) throw new Error(`${nameOf(k)}: the mock received ${stats.delivered} records (${stats.uniqueDelivered} distinct), expected ${records} once each`);
          if (counts.pending !== 0 || counts.dead !== 0) throw new Error(`${nameOf(k)}: ${JSON.stringify(counts)} left in the queue`);
          if (problems.length > 0) throw new Error(`${nameOf(k)}: ${problems.slice(0, 3).join('; ')}`);
          const shares = closed.sent.map((sent) => sent / records);
          return {
            value: (records / ms) * 1000,
            extra: { ms, requests: stats.requests, 'worker CPU µs/record': closed.cpuUs / records, 'largest share %': Math.max(...shares) * 100 },
          };
        } finally {
          await producer.close();
          await pool.end();
          await schemas.drop(schema);
        }
      };
      const variants: Variant[] = WORKERS.map((k) => ({ name: nameOf(k), run: () => drainRun(k, count) }));
      // Two untimed passes of each, so no worker process pays for JIT warm-up or its first connections
      // (a cold worker spends tens of ms of CPU more in its first runs: on 2 cores, 4 of them would show it).
      for (const k of [...WORKERS, ...WORKERS]) await drainRun(k, Math.min(count, 400));
      const group = `${count.toLocaleString('en-US')} records, batch ${BATCH}, ${LATENCY_MS} ms latency`;
      const base = nameOf(1);
      const rows = await sideBySide({ group, metric: { name: 'throughput', unit: 'records/s', better: 'higher' }, variants, baselines: [base], rounds, log });
      const msPerBatch = (BATCH * 1000) / rowOf(rows, group, base).median;
      const goals: Goal[] = GOALS.map(([k, wanted]) => {
        const row = rowOf(rows, group, nameOf(k));
        const ratio = row.ratios[base] ?? 0;
        return {
          goal: `${nameOf(k)} ≥ ${wanted}× the records/s of 1 worker`,
          met: ratio >= wanted,
          detail: `${formatRatio(ratio)} (${format(row.median)} vs ${format(rowOf(rows, group, base).median)} records/s; largest share of one worker ${format(row.extra['largest share %'] ?? 0)}%)`,
        };
      });
      return {
        params: { count, rounds, warmup: 2, batch: BATCH, latencyMs: LATENCY_MS, workers: WORKERS, poolSize: POOL_SIZE, concurrency: 1, pollMs: 1000, server: `PostgreSQL ${version}` },
        rows,
        goals,
        notes: [
          `each run: a fresh schema; ${count.toLocaleString('en-US')} records enqueued untimed by a producer outbox (not started) in this process; the workers opened (connected, migrated, not started); timed from the moment they are all told to start until they have reported every record sent; then closed, the schema dropped`,
          `worker = createOutbox from wks-mail-outbox/postgres in its own child process, own pg Pool (max ${POOL_SIZE}), batchSize ${BATCH}, concurrency 1 (default), pollMs 1000 (default), started with start(); the ${Math.max(...WORKERS)} worker processes are forked once per case`,
          `the mock runs in its own child process with ${LATENCY_MS} ms latency on every answer; every run is checked: each record delivered exactly once (the mock's log), nothing pending or dead after, no failed or error event`,
          `1 worker at ${LATENCY_MS} ms per request of ${BATCH} could at best send ${format((BATCH * 1000) / LATENCY_MS)} records/s; its median is ${format(rowOf(rows, group, base).median)}, i.e. ${format(msPerBatch)} ms of wall time per batch of ${BATCH}`,
          '"worker CPU µs/record": CPU of all the worker processes from start() to close(), per record; "largest share %": the part of the records the busiest worker sent',
          ...(quick ? [`--quick: ${count / BATCH / Math.max(...WORKERS)} batches per worker at ${Math.max(...WORKERS)} workers, one round: the start of a run (claim, first request, ≈ 20 ms) weighs on the ratios; a smoke check, the goals are for the full run`] : []),
        ],
      };
    } finally {
      await workers?.stop();
      await mock.close();
      await schemas.dropAll();
    }
  },
};
