// Four worker processes drain 10,000 records from one PostgreSQL queue through the mock (latency,
// 503s, 500s, dropped connections). Without kills no record goes twice. With workers SIGKILLed
// (24 times, at seeded random moments) and restarted: every record is delivered, and a record
// goes twice only when one of its sends was the last request of a worker that was then killed
// (a batch whose lease the kill cut). Reproduce a run with WKS_FLEET_SEED=<seed>.
import { afterAll, describe, expect, it } from 'vitest';
import { startMockWorkspace, type MockRequest, type MockWorkspace } from '../../src/mock-server.js';
import { mulberry32 as seededRandom } from '../../src/mock/faults.js';
import { createOutbox } from '../../src/postgres.js';
import { makeRecords } from '../helpers/records.js';
import { spawnTs, type TsChild } from '../helpers/spawn-ts.js';
import { sleep } from '../helpers/sleep.js';
import { within } from '../helpers/within.js';
import { pgUrl, postgresMissing, usePostgres } from '../helpers/postgres.js';

const WORKER = new URL('./children/fleet-worker.ts', import.meta.url);
const SEED = Number(process.env.WKS_FLEET_SEED ?? 20_261_201);
const RECORDS = 10_000;
const KILLS = 24;
const pg = usePostgres();
const live = new Set<TsChild>();
const mocks: MockWorkspace[] = [];
afterAll(async () => {
  await Promise.all([...live].map((child) => child.kill()));
  await Promise.all(mocks.map((mock) => mock.close()));
});

async function fleetRun(seed: number) {
  const mock = await startMockWorkspace({
    latencyMs: 15,
    random: { seed, faults: [{ probability: 0.1, fault: { status: 503, retryAfter: 0 } }, { probability: 0.05, fault: { status: 500 } }, { probability: 0.05, fault: { drop: true } }] },
  });
  mocks.push(mock);
  const schema = pg.schema();
  // The producer: enqueues and goes away (what it claimed while open is let go on close).
  const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: pg.pool(2), schema });
  const records = makeRecords(RECORDS, 'f');
  for (let from = 0; from < RECORDS; from += 1000) await producer.enqueue(records.slice(from, from + 1000));
  expect((await producer.counts()).pending).toBe(RECORDS);
  await producer.close();
  const spawnWorker = (name: string) => {
    const config = { url: mock.url, projectId: mock.projectId, token: mock.token, pgUrl: pgUrl(), schema, name, leaseMs: 2000, batchSize: 25 };
    const child = spawnTs(WORKER, [JSON.stringify(config)]);
    live.add(child);
    void child.exited.then(() => live.delete(child));
    return child;
  };
  return { mock, schema, records, spawnWorker };
}

/** What a hang leaves behind: the rows still there, the gates, and each worker's last lines. */
async function fleetState(schema: string, workers: TsChild[]): Promise<string> {
  const rows = await pg.pool(1).query(`SELECT state, lease_owner, lease_until > clock_timestamp() AS leased, count(*)::int AS n, min(next_attempt_at) AS next FROM "${schema}".entries GROUP BY 1, 2, 3 ORDER BY 1, 2`);
  const meta = await pg.pool(1).query(`SELECT key, value, (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now FROM "${schema}".meta`);
  const tails = workers.map((worker) => `${worker.pid}: ${[...worker.lines.filter((line) => !line.startsWith('STATE ')).slice(-5), ...worker.lines.filter((line) => line.startsWith('STATE ')).slice(-1)].join(' | ')} ${worker.stderr().slice(-3000)}`);
  return [JSON.stringify(rows.rows), JSON.stringify(meta.rows), ...tails].join('\n');
}

const sends = (mock: MockWorkspace): MockRequest[] => mock.requests.filter((request) => request.api === 'send' && request.records !== undefined);

describe.skipIf(postgresMissing)('four worker processes over one queue', () => {
  it('deliver 10,000 records, none twice, when nobody dies', { timeout: 180_000 }, async () => {
    const { mock, schema, spawnWorker } = await fleetRun(SEED);
    const workers = ['a', 'b', 'c', 'd'].map(spawnWorker);
    const ends = await within(Promise.all(workers.map((w) => w.exited)), 'the four workers', 150_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await fleetState(schema, workers)}`);
    });
    expect(ends.map((end) => end.code), workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0, 0, 0]);
    const delivered = mock.deliveredIds();
    expect(new Set(delivered).size).toBe(RECORDS);
    expect(delivered.length).toBe(RECORDS);
    // The work was shared.
    const byWorker = new Map<string, number>();
    for (const request of sends(mock)) byWorker.set(request.headers['x-worker']!, (byWorker.get(request.headers['x-worker']!) ?? 0) + 1);
    expect(byWorker.size).toBe(4);
  });

  it('lose nothing and send twice only batches cut by a kill, when workers are SIGKILLed 24 times', { timeout: 240_000 }, async () => {
    const random = seededRandom(SEED + 1);
    const { mock, schema, spawnWorker } = await fleetRun(SEED + 1);
    let generation = 0;
    const slots = ['a', 'b', 'c', 'd'].map((name) => ({ name, child: spawnWorker(`${name}${generation}`) }));
    const killedTags = new Set<string>();
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(150 + Math.floor(random() * 300));
      const slot = slots[Math.floor(random() * slots.length)]!;
      const started = await within(slot.child.waitForLine((line) => line.startsWith('STARTED ')), 'a worker start', 60_000);
      await slot.child.kill();
      killedTags.add(started.slice('STARTED '.length));
      slot.child = spawnWorker(`${slot.name}${++generation}`);
    }
    expect(killedTags.size).toBe(KILLS);
    const ends = await within(Promise.all(slots.map((slot) => slot.child.exited)), 'the last workers', 180_000);
    expect(ends.map((end) => end.code)).toEqual([0, 0, 0, 0]);
    // Every record delivered, and nothing left.
    expect(new Set(mock.deliveredIds()).size).toBe(RECORDS);
    const { rows } = await pg.pool(1).query(`SELECT count(*)::int AS n FROM "${schema}".entries`);
    expect(rows[0]!.n).toBe(0);
    // A record delivered twice: one of its deliveries was the last request of a killed worker.
    const lastOfKilled = new Set<MockRequest>();
    for (const tag of killedTags) {
      const own = sends(mock).filter((request) => request.headers['x-worker'] === tag);
      if (own.length > 0) lastOfKilled.add(own[own.length - 1]!);
    }
    const deliveries = new Map<string, MockRequest[]>();
    for (const request of sends(mock)) {
      if (request.status !== 200) continue;
      for (const record of request.records!) deliveries.set(record.id, [...(deliveries.get(record.id) ?? []), request]);
    }
    const unexplained = [...deliveries].filter(([, requests]) => requests.length > 1 && !requests.some((request) => lastOfKilled.has(request)));
    expect(unexplained.map(([id]) => id)).toEqual([]);
    const twice = [...deliveries].filter(([, requests]) => requests.length > 1).length;
    expect(twice).toBeLessThanOrEqual(KILLS * 25);
  });
});
