// "No row is in two workers' hands while their leases last" and "without kills no record goes
// twice". Attacked with a worker process whose event loop stands still for four leases between
// claiming its batch and sending it (a CPU-bound handler, a GC pause, a paused VM): nobody
// killed it, yet its lease runs out and another worker sends its rows. Does it still send them?
import { afterAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../src/postgres.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { spawnTs, type TsChild } from '../../helpers/spawn-ts.js';
import { within } from '../../helpers/within.js';
import { pgUrl, postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const CHILD = new URL('./children/blocking-worker.ts', import.meta.url);
const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);
const live = new Set<TsChild>();
afterAll(async () => {
  await Promise.all([...live].map((child) => child.kill()));
});

describe.skipIf(postgresMissing)('a worker whose event loop is blocked for longer than its lease', () => {
  it('does not send a batch another worker took over while it was blocked', { timeout: 90_000 }, async () => {
    const mock = await startMock();
    const schema = pg.schema();
    const producer = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool: pg.pool(2), schema });
    await producer.enqueue(makeRecords(4, 'frozen'));
    await producer.close();
    const child = spawnTs(CHILD, [JSON.stringify({ url: mock.url, projectId: mock.projectId, token: mock.token, pgUrl: pgUrl(), schema, leaseMs: 1000, batchSize: 4, blockMs: 4000 })]);
    live.add(child);
    // It has claimed the four rows and taken them into its batch; now it stands still for 4 s.
    await within(child.waitForLine((line) => line === 'BLOCKING', 60_000), 'the child blocking');
    const b = worker(mock, schema, { leaseMs: 1000 });
    b.outbox.start();
    const end = await within(child.exited, 'the blocked child', 60_000);
    expect(end.code, child.stderr()).toBe(0);
    await within(b.outbox.drain(), 'b\'s drain', 30_000);
    expect(new Set(mock.deliveredIds()).size).toBe(4);
    // Broken: b took the rows once the lease ran out (as designed), and the unblocked worker,
    // which re-read the store before its request but keeps a claimed batch whatever the read says,
    // sent the same four records again.
    expect(deliveredTwice(mock)).toEqual({});
  });
});
