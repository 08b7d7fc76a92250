// Case 2: drain overhead (node). 10,000 records through `outbox.drain()` (MemoryStore and
// FileStore) against the mock service (no faults), batch 100, vs a plain loop that POSTs the
// same batches with `fetch`, sequentially, to the same mock with the same headers.
import { createOutbox as createCoreOutbox, MemoryStore, type Outbox } from '../../src/index.js';
import { createOutbox as createNodeOutbox, FileStore } from '../../src/node.js';
import type { AuthorizationMail } from '../../src/api/schemas.js';
import { format, formatRatio, rowOf, sideBySide, timeRecords, type BenchCase, type Variant } from '../harness.js';
import { TempDirs, chunks, makeRecords } from '../support/fixtures.js';
import { startMockProcess, type MockProcess } from '../support/mock-process.js';

const BATCH = 100;
const LOOP = 'plain fetch loop';
const MEMORY = 'outbox.drain (MemoryStore)';
const FILE = 'outbox.drain (FileStore)';
const FILE_UNAWAITED = 'FileStore, deletes not awaited (unsafe)';

/**
 * Not a product setting: a FileStore whose `deleteMany` resolves before its line is durable, so
 * the next request starts while the delete is still being fsynced. It shows what overlapping the
 * delete with the next request would gain; the outbox does not do it, because a crash could then
 * resend two batches (the one in flight and the one whose delete was not yet durable).
 */
function unawaitedDeletes(dir: string, stores: { close(): Promise<void> }[]): FileStore {
  const store = new FileStore({ dir });
  stores.push(store);
  const deleteMany = store.deleteMany.bind(store);
  store.deleteMany = (keys) => {
    void deleteMany(keys);
    return Promise.resolve();
  };
  return store;
}

/** The loop an integrator would write without the library: one POST per batch, in order. */
async function plainLoop(mock: MockProcess, records: AuthorizationMail[]): Promise<void> {
  const url = `${mock.url}/v1/${encodeURIComponent(mock.projectId)}/mails/actions/send`;
  for (const batch of chunks(records, BATCH)) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Language': 'en-us', 'X-Auth-Token': mock.token },
      body: JSON.stringify({ records: batch }),
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
    });
    await response.text();
    if (response.status !== 200) throw new Error(`plain loop: HTTP ${response.status}`);
  }
}

/**
 * An in-process `fetch` that answers 200 at once (after parsing the body, as a server would):
 * with it, what is left to time is the client side's own CPU: the library's overhead.
 */
const stubFetch: typeof fetch = async (_input, init) => {
  if (typeof init?.body === 'string') JSON.parse(init.body);
  return new Response(null, { status: 200, headers: { 'x-request-id': 'stub' } });
};

async function stubLoop(records: AuthorizationMail[]): Promise<void> {
  const url = 'http://127.0.0.1:9/v1/0123456789abcdef0123456789abcdef/mails/actions/send';
  for (const batch of chunks(records, BATCH)) {
    const response = await stubFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Language': 'en-us', 'X-Auth-Token': 'stub' },
      body: JSON.stringify({ records: batch }),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`stub loop: HTTP ${response.status}`);
  }
}

/** Checks that the mock received every record exactly once, then clears its log. */
export async function expectDelivered(mock: MockProcess, count: number, label: string): Promise<{ requests: number }> {
  const stats = await mock.stats();
  await mock.reset();
  if (stats.uniqueDelivered !== count) throw new Error(`${label}: the mock received ${stats.uniqueDelivered} distinct records, expected ${count}`);
  return { requests: stats.requests };
}

export const drainOverhead: BenchCase = {
  name: 'drain-overhead',
  title: 'drain overhead: outbox.drain() vs a plain fetch loop over the same batches (mock service, no faults)',
  async run({ quick, log }) {
    const count = quick ? 2000 : 10_000;
    const rounds = quick ? 1 : 5;
    const dirs = new TempDirs();
    const mock = await startMockProcess();
    let runId = 0;
    try {
      /** `stores` collects stores handed to an outbox (which does not close what it did not create). */
      const stores: { close(): Promise<void> }[] = [];
      const outboxVariant = (name: string, make: (dir: string | undefined) => Outbox, withDir: boolean): Variant => ({
        name,
        async run() {
          const records = makeRecords(count, `d${runId++}`);
          const dir = withDir ? await dirs.make('drain') : undefined;
          const outbox = make(dir);
          try {
            for (const chunk of chunks(records, 1000)) await outbox.enqueue(chunk); // untimed
            const timed = await timeRecords(count, () => outbox.drain());
            const summary = timed.result;
            if (summary.sent !== count || summary.pending !== 0) throw new Error(`${name}: drained ${JSON.stringify(summary)}`);
            const { requests } = await expectDelivered(mock, count, name);
            return { value: timed.value, extra: { ms: timed.ms, requests, 'CPU µs/record': timed.cpuPerRecord } };
          } finally {
            await outbox.close();
            for (const store of stores.splice(0)) await store.close();
            if (dir) await dirs.remove(dir);
          }
        },
      });
      const common = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, language: 'en-us', batchSize: BATCH } as const;
      const variants: Variant[] = [
        {
          name: LOOP,
          async run() {
            const records = makeRecords(count, `d${runId++}`);
            const timed = await timeRecords(count, () => plainLoop(mock, records));
            const { requests } = await expectDelivered(mock, count, LOOP);
            return { value: timed.value, extra: { ms: timed.ms, requests, 'CPU µs/record': timed.cpuPerRecord } };
          },
        },
        outboxVariant(MEMORY, () => createCoreOutbox({ ...common, store: new MemoryStore() }), false),
        outboxVariant(FILE, (dir) => createNodeOutbox({ ...common, dir: dir as string }), true),
        outboxVariant(FILE_UNAWAITED, (dir) => createNodeOutbox({ ...common, store: unawaitedDeletes(dir as string, stores) }), true),
      ];
      // One untimed pass of each, so neither side pays for JIT warm-up or the first connection.
      for (const variant of variants) await variant.run(-1);
      const group = `${count.toLocaleString('en-US')} records, batch ${BATCH}`;
      const rows = await sideBySide({ group, metric: { name: 'throughput', unit: 'records/s', better: 'higher' }, variants, baselines: [LOOP], rounds, log });

      // The same without a network: the library's own CPU per record, hardly moved by other load.
      const stubGroup = `${group}, fetch stubbed in-process`;
      const stubbed: Variant[] = [
        {
          name: LOOP,
          async run() {
            const records = makeRecords(count, `s${runId++}`);
            const timed = await timeRecords(count, () => stubLoop(records));
            return { value: timed.value, extra: { ms: timed.ms, 'CPU µs/record': timed.cpuPerRecord } };
          },
        },
        {
          name: MEMORY,
          async run() {
            const records = makeRecords(count, `s${runId++}`);
            const outbox = createCoreOutbox({ endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'stub' }, language: 'en-us', batchSize: BATCH, store: new MemoryStore(), fetch: stubFetch });
            try {
              for (const chunk of chunks(records, 1000)) await outbox.enqueue(chunk);
              const timed = await timeRecords(count, () => outbox.drain());
              if (timed.result.sent !== count) throw new Error(`stubbed drain: ${JSON.stringify(timed.result)}`);
              return { value: timed.value, extra: { ms: timed.ms, 'CPU µs/record': timed.cpuPerRecord } };
            } finally {
              await outbox.close();
            }
          },
        },
      ];
      for (const variant of stubbed) await variant.run(-1);
      rows.push(...(await sideBySide({ group: stubGroup, metric: { name: 'throughput', unit: 'records/s', better: 'higher' }, variants: stubbed, baselines: [LOOP], rounds, log })));

      const goals = ([[MEMORY, 0.9], [FILE, 0.85]] as const).map(([name, wanted]) => {
        const row = rowOf(rows, group, name);
        const ratio = row.ratios[LOOP] ?? 0;
        const cpu = (variant: string) => format(rowOf(rows, group, variant).extra['CPU µs/record'] ?? 0);
        return {
          goal: `${name} ≥ ${wanted}× the plain loop's records/s`,
          met: ratio >= wanted,
          detail: `${formatRatio(ratio)} (${Math.round(row.median)} vs ${Math.round(rowOf(rows, group, LOOP).median)} records/s; CPU ${cpu(name)} vs ${cpu(LOOP)} µs/record)`,
        };
      });
      const stubLoopRow = rowOf(rows, stubGroup, LOOP);
      const stubOutboxRow = rowOf(rows, stubGroup, MEMORY);
      const overhead = (stubOutboxRow.extra['CPU µs/record'] ?? 0) - (stubLoopRow.extra['CPU µs/record'] ?? 0);
      return {
        params: { count, batch: BATCH, rounds, warmup: 1 },
        rows,
        goals,
        notes: [
          'the mock runs in a child process (its CPU does not compete with the client); every run is checked: each record delivered exactly once',
          'records are enqueued untimed before drain(); drain() is timed until it resolves',
          `${FILE_UNAWAITED}: not a setting of the library; the FileStore's deletes resolve before they are durable, so the next request overlaps the delete's fsync. It shows what that overlap would gain; the outbox keeps the delete durable before the next request, or a crash could resend two batches instead of the one in flight`,
          'plain loop: fetch, sequential, same headers (Content-Type, X-Language, X-Auth-Token), no validation, no persistence, no retries',
          '"CPU µs/record": CPU time of this (client) process during the timed drain, per record; the mock\'s CPU is not in it',
          `"fetch stubbed in-process": the same loop and drain against a fetch that parses the body and answers 200 at once; the library's own overhead is ${overhead.toFixed(1)} µs of CPU per record (${(overhead * BATCH / 1000).toFixed(2)} ms per batch of ${BATCH})`,
        ],
      };
    } finally {
      await mock.close();
      await dirs.cleanup();
    }
  },
};
