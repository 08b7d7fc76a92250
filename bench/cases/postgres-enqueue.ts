// Case: enqueue into PostgreSQL. Our fleet outbox's `enqueue` (not started, over a pg Pool) vs
// pg-boss (`send`, `insert` for batches) vs graphile-worker (`addJob`, `addJobs`), each over its
// own fresh schema on the same server, in sequential calls of 1, 10 and 100 records.
import { Samples, format, formatRatio, timeRecords, type BenchCase, type Goal, type Row } from '../harness.js';
import { chunks, makeRecords } from '../support/fixtures.js';
import { GRAPHILE, OPENERS, OUTBOX, PGBOSS, POOL_SIZE, type EnqueueSubject } from '../support/pg-enqueue-subjects.js';
import { PgSchemas } from '../support/pg-schemas.js';

const SIZES = [1, 10, 100] as const;
const PEERS = [PGBOSS, GRAPHILE] as const;
const FASTER = 'faster peer';
const groupOf = (size: number) => `calls of ${size}`;

/** Adds to each row its ratio to the faster of the peers in its group (by median). */
function addFasterPeer(rows: Row[]): void {
  for (const size of SIZES) {
    const group = rows.filter((row) => row.group === groupOf(size));
    const peers = group.filter((row) => (PEERS as readonly string[]).includes(row.variant));
    const best = Math.max(...peers.map((row) => row.median));
    for (const row of group) row.ratios[FASTER] = row.median / best;
  }
}

export const postgresEnqueue: BenchCase = {
  name: 'postgres-enqueue',
  title: 'enqueue into PostgreSQL: outbox.enqueue (fleet outbox, not started) vs pg-boss vs graphile-worker, sequential calls of 1, 10, 100',
  async run({ quick, log }) {
    const count = quick ? 1000 : 10_000;
    const rounds = quick ? 1 : 3;
    const warmup = 100;
    const names = Object.keys(OPENERS);
    const schemas = new PgSchemas();
    const samples = new Samples();
    let runId = 0;
    try {
      const version = await schemas.check();
      for (let round = 0; round < rounds; round++) {
        // All three open at once (fresh schemas, migrated, warmed untimed), then timed in turn
        // group by group: the variants of one figure run seconds apart, in an order rotating per round.
        const open: { name: string; subject: EnqueueSubject; schema: string; prefix: string }[] = [];
        try {
          for (const name of names) {
            const schema = schemas.name(`enq_${name.split(/[ .]/)[0]}`);
            const subject = await (OPENERS[name] as (schema: string) => Promise<EnqueueSubject>)(schema);
            const prefix = `r${runId++}`;
            open.push({ name, subject, schema, prefix });
            for (const size of SIZES) for (const batch of chunks(makeRecords(warmup, `${prefix}-warm${size}`), size)) await subject.call(batch);
          }
          for (const size of SIZES) {
            for (let turn = 0; turn < open.length; turn++) {
              const { name, subject, schema, prefix } = open[(turn + round) % open.length] as (typeof open)[number];
              const calls = chunks(makeRecords(count, `${prefix}-g${size}`), size);
              const { rows: before } = await schemas.query(`SELECT count(*)::int AS n FROM "${schema}"."${subject.table}"`);
              const timed = await timeRecords(count, async () => {
                for (const call of calls) await subject.call(call);
              });
              const { rows: after } = await schemas.query(`SELECT count(*)::int AS n FROM "${schema}"."${subject.table}"`);
              const stored = Number(after[0]?.n) - Number(before[0]?.n);
              if (stored !== count) throw new Error(`${name}: ${stored} rows stored for ${count} records`);
              samples.add(groupOf(size), name, { value: timed.value, extra: { ms: timed.ms, 'CPU µs/record': timed.cpuPerRecord } });
              log(`  ${groupOf(size)} · ${name} · round ${round + 1}/${rounds}: ${format(timed.value)} records/s`);
            }
          }
        } finally {
          for (const { subject, schema } of open) {
            await subject.close().catch((error: Error) => log(`  closing ${schema}: ${error.message}`));
            await schemas.drop(schema);
          }
        }
      }
      const rows = samples.rows({ groups: SIZES.map(groupOf), variants: names, metric: { name: 'throughput', unit: 'records/s', better: 'higher' }, baselines: [...PEERS] });
      addFasterPeer(rows);
      const ours = rows.filter((row) => row.variant === OUTBOX);
      const goals: Goal[] = [
        {
          goal: `${OUTBOX} ≥ 1.0× the faster of pg-boss and graphile-worker in every group`,
          met: ours.every((row) => (row.ratios[FASTER] ?? 0) >= 1),
          detail: ours
            .map((row) => {
              const peer = rows.filter((other) => other.group === row.group && (PEERS as readonly string[]).includes(other.variant)).sort((a, b) => b.median - a.median)[0];
              return `${row.group}: ${formatRatio(row.ratios[FASTER])} of ${peer?.variant.split(' ')[0]} (${format(row.median)} vs ${format(peer?.median ?? NaN)} records/s; CPU ${format(row.extra['CPU µs/record'] ?? 0)} vs ${format(peer?.extra['CPU µs/record'] ?? 0)} µs/record)`;
            })
            .join('; '),
        },
      ];
      return {
        params: { count, rounds, sizes: SIZES, warmup, poolSize: POOL_SIZE, server: `PostgreSQL ${version}` },
        rows,
        goals,
        notes: [
          `each round: one fresh schema per variant, migrated and warmed (${warmup} records per call size, untimed); then per call size each variant in turn (order rotating per round) enqueues ${count.toLocaleString('en-US')} new records in sequential calls, timed; the rows stored are counted after each run; schemas dropped after`,
          `"${FASTER}": ratio to whichever of pg-boss and graphile-worker has the higher median in that group (the goal's baseline)`,
          `${OUTBOX}: createOutbox from wks-mail-outbox/postgres over a pg Pool (max ${POOL_SIZE}), not started; validates each record (zod) and coalesces by (project, record id) with a unique key, one INSERT … ON CONFLICT per call; a single record is passed as an object`,
          `${PGBOSS}: pg-boss (supervise and schedule off, pool max ${POOL_SIZE}) send() for single records, insert() for batches, into one queue made with createQueue; no singletonKey (no coalescing)`,
          `${GRAPHILE}: graphile-worker WorkerUtils over a pg Pool (max ${POOL_SIZE}), addJob() for single records, addJobs() for batches; no jobKey (no coalescing)`,
          '"CPU µs/record": CPU time of this (client) process during the timed calls, per record; the server\'s CPU is not in it',
          'pg-boss 12 and graphile-worker 0.18 declare Node ≥ 22 in their engines; the calls used here run on Node 20',
        ],
      };
    } finally {
      await schemas.dropAll();
    }
  },
};
