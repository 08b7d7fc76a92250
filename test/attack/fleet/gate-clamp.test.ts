// The shared Retry-After gate. Promises attacked: "Stored times are clamped … to now +
// max(retry.maxDelayMs, retry.maxRetryAfterMs) (a clock that was wrong, a hand-edited file, a gate
// in 2100 cannot park the queue)", which the fleet section says holds for the fleet too; and
// "Times come from the database's clock". An absurd Retry-After from the service is clamped
// before it is written (holds); a gate row far in the future, or written by a worker whose clock
// is a day ahead, parks every worker (broken: the claim SQL compares the raw row with the clock).
import { describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);
/** Caps of one second: no stored gate may hold these workers longer. */
const TIGHT = { minDelayMs: 10, maxDelayMs: 1000, maxRetryAfterMs: 1000, jitter: 0 };
const YEAR_2100 = Date.UTC(2100, 0, 1);

async function gateRows(schema: string): Promise<number[]> {
  const { rows } = await pg.pool(1).query(`SELECT value FROM "${schema}".meta WHERE key LIKE 'gate:%'`);
  return rows.map((row) => Number(row.value));
}

describe.skipIf(postgresMissing)('the fleet gate is clamped', () => {
  it('an absurd Retry-After (a year, garbage, an HTTP date in 2100) is written clamped to the worker\'s caps', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 31_536_000 }, { status: 429, retryAfter: 'Fri, 01 Jan 2100 00:00:00 GMT' }, { status: 503, retryAfter: '1e308' }] });
    const schema = pg.schema();
    const w = worker(mock, schema, { retry: TIGHT });
    await w.outbox.enqueue(makeRecords(2, 'absurd'));
    const gates: number[] = [];
    w.outbox.on('retrying', () => void gateRows(schema).then((rows) => gates.push(...rows)));
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain through three absurd Retry-Afters', 30_000);
    expect(new Set(mock.deliveredIds())).toEqual(new Set(['absurd0', 'absurd1']));
    for (const gate of gates) expect(gate).toBeLessThan(Date.now() + 60_000);
  });

  it('a gate row in 2100 (a hand-edited row, a clock that was wrong) holds a worker with 1 s caps for about 1 s, not for ever', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 0 }] });
    const schema = pg.schema();
    const first = worker(mock, schema, { retry: TIGHT });
    await first.outbox.enqueue(makeRecords(1, 'before'));
    first.outbox.start();
    await within(first.outbox.drain(), 'the first drain', 30_000);
    await first.outbox.close();
    expect((await gateRows(schema)).length).toBe(1); // the outbox's own gate row
    await pg.pool(1).query(`UPDATE "${schema}".meta SET value = $1 WHERE key LIKE 'gate:%'`, [YEAR_2100]);
    // A new worker over the same queue (a restart, or another replica).
    const w = worker(mock, schema, { retry: TIGHT });
    await w.outbox.enqueue(makeRecords(3, 'after'));
    w.outbox.start();
    // Broken: the claim refuses every row while any gate row is later than the database's clock, unclamped.
    const summary = await within(w.outbox.drain(), 'a drain behind a gate in 2100 (clamped to 1 s)', 15_000);
    expect(summary.pending).toBe(0);
    expect(mock.deliveredIds()).toEqual(['before0', 'after0', 'after1', 'after2']);
  });

  it('a worker whose clock is a day ahead (an injected now) gets a 503: the others are not parked for a day', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1 }] });
    const schema = pg.schema();
    const DAY = 86_400_000;
    const skewed = worker(mock, schema, { retry: { ...TIGHT, maxAttempts: 1 }, now: () => Date.now() + DAY, batchSize: 1 });
    await skewed.outbox.enqueue(makeRecords(1, 'skew'));
    let retried = false;
    skewed.outbox.on('failed', () => void (retried = true));
    skewed.outbox.start();
    await until(() => retried, 'the 503', 20_000);
    await skewed.outbox.close();
    // The gate it wrote was on its own clock, a day in the database's future; every claim brings
    // such a row back within the caps (the skewed worker's own next claim may already have).
    const [gate] = await gateRows(schema);
    expect(gate! - Date.now()).toBeLessThan(DAY + 60_000);
    const honest = worker(mock, schema, { retry: TIGHT });
    await honest.outbox.enqueue(makeRecords(2, 'honest'));
    honest.outbox.start();
    // Was broken: every worker with a right clock was parked for a day (its own 1 s caps were ignored by the claim).
    await within(honest.outbox.drain(), 'the honest worker\'s drain', 15_000);
    expect(mock.deliveredIds().sort()).toEqual(['honest0', 'honest1']);
  });
});
