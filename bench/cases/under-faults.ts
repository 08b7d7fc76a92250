// Case 5: under faults (node). 10,000 records, batch 100, against the mock answering 30% of sends
// 503 (Retry-After: 0) and 10% 500 (seeded), retry { minDelayMs: 1, maxDelayMs: 20, jitter: 0 }:
// requests made per record delivered, and wall time, vs the same run without faults.
import { createOutbox, MemoryStore, type Outbox } from '../../src/index.js';
import { createOutbox as createNodeOutbox } from '../../src/node.js';
import { collectGarbage, formatRatio, rowOf, sideBySide, type BenchCase, type Row, type Variant } from '../harness.js';
import { TempDirs, chunks, makeRecords } from '../support/fixtures.js';
import { startMockProcess, type MockStats } from '../support/mock-process.js';

const BATCH = 100;
const SEED = 20_261_127;
const FAULTS = [
  { probability: 0.3, fault: { status: 503, retryAfter: 0 } },
  { probability: 0.1, fault: { status: 500 } },
];

export const underFaults: BenchCase = {
  name: 'under-faults',
  title: 'delivery under faults: 30% 503 (Retry-After: 0) + 10% 500 vs no faults (batch 100)',
  async run({ quick, log }) {
    const count = quick ? 2000 : 10_000;
    const rounds = quick ? 1 : 3;
    const dirs = new TempDirs();
    const mock = await startMockProcess();
    let runId = 0;
    try {
      const variant = (name: string, faults: boolean, store: 'memory' | 'file'): Variant => ({
        name,
        async run() {
          const records = makeRecords(count, `f${runId++}`);
          const dir = store === 'file' ? await dirs.make('faults') : undefined;
          const common = {
            endpoint: mock.url,
            projectId: mock.projectId,
            auth: { token: mock.token },
            language: 'en-us',
            batchSize: BATCH,
            retry: { minDelayMs: 1, maxDelayMs: 20, jitter: 0 },
          } as const;
          const outbox: Outbox = dir ? createNodeOutbox({ ...common, dir }) : createOutbox({ ...common, store: new MemoryStore() });
          let retrying = 0;
          outbox.on('retrying', () => retrying++);
          try {
            for (const chunk of chunks(records, 1000)) await outbox.enqueue(chunk); // untimed
            await mock.reset();
            // The PRNG restarts at the seed: every faulty round meets the same sequence of faults.
            await mock.setRandom(faults ? { seed: SEED, faults: FAULTS } : undefined);
            collectGarbage();
            const start = performance.now();
            const summary = await outbox.drain();
            const elapsed = performance.now() - start;
            const stats: MockStats = await mock.stats();
            await mock.reset();
            if (summary.sent !== count || summary.failed !== 0 || summary.pending !== 0) throw new Error(`${name}: drained ${JSON.stringify(summary)}`);
            if (stats.uniqueDelivered !== count) throw new Error(`${name}: the mock received ${stats.uniqueDelivered} distinct records, expected ${count}`);
            return {
              value: elapsed,
              extra: {
                requests: stats.requests,
                'requests per 100 delivered': (stats.requests / stats.uniqueDelivered) * 100,
                '503': stats.byStatus['503'] ?? 0,
                '500': stats.byStatus['500'] ?? 0,
                duplicates: stats.delivered - stats.uniqueDelivered,
                'records/s': (count / elapsed) * 1000,
              },
            };
          } finally {
            await outbox.close();
            if (dir) await dirs.remove(dir);
          }
        },
      });
      const group = `${count.toLocaleString('en-US')} records, batch ${BATCH}`;
      const variants = [
        variant('no faults (MemoryStore)', false, 'memory'),
        variant('faults (MemoryStore)', true, 'memory'),
        variant('no faults (FileStore)', false, 'file'),
        variant('faults (FileStore)', true, 'file'),
      ];
      const rows: Row[] = await sideBySide({
        group,
        metric: { name: 'wall time of drain()', unit: 'ms', better: 'lower' },
        variants,
        baselines: ['no faults (MemoryStore)', 'no faults (FileStore)'],
        rounds,
        log,
      });
      // Each faulty variant against its own store's fault-free run only.
      for (const row of rows) {
        const own = row.variant.includes('FileStore') ? 'no faults (FileStore)' : 'no faults (MemoryStore)';
        for (const key of Object.keys(row.ratios)) if (key !== own) delete row.ratios[key];
      }
      const faulty = rowOf(rows, group, 'faults (MemoryStore)');
      const clean = rowOf(rows, group, 'no faults (MemoryStore)');
      const perBatch = (faulty.extra['requests per 100 delivered'] ?? 0) / 1;
      return {
        params: { count, batch: BATCH, rounds, seed: SEED, faults: FAULTS, retry: { minDelayMs: 1, maxDelayMs: 20, jitter: 0 } },
        rows,
        goals: [],
        notes: [
          `with faults: ${faulty.extra['requests']} requests for ${count} records = ${perBatch.toFixed(2)} requests per batch of 100 delivered (ideal with 40% failures: 1/0.6 = 1.67), ${faulty.extra['duplicates']} duplicate deliveries`,
          `wall time with faults: ${formatRatio(faulty.median / clean.median)} the fault-free run (MemoryStore); "vs" columns = how many times less time than that store's fault-free run`,
          'every run is checked: drain() reports all sent, none failed, none pending; the mock saw each record delivered',
          'faults are the mock\'s seeded random faults (same seed every round, the PRNG restarts each run)',
        ],
      };
    } finally {
      await mock.close();
      await dirs.cleanup();
    }
  },
};
