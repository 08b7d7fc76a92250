// A Retry-After that one worker got holds every worker back: the gate is a row, claims are
// refused while it is closed, and a worker re-reads it before each request, so a batch it had
// already claimed waits too.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../helpers/mock-service.js';
import { makeRecords, duplicates } from '../helpers/records.js';
import { until } from '../helpers/until.js';
import { within } from '../helpers/within.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';
import { useWorkers } from './fleet-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);

describe.skipIf(postgresMissing)('the endpoint gate of a fleet', () => {
  it('no worker sends until the Retry-After one of them got has passed, then all is delivered', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 2 }] });
    const schema = pg.schema();
    const [a, b, c] = [worker(mock, schema, { batchSize: 5 }), worker(mock, schema, { batchSize: 5 }), worker(mock, schema, { batchSize: 5 })];
    await a.outbox.enqueue(makeRecords(1, 'first'));
    let retrying = false;
    a.outbox.on('retrying', () => void (retrying = true));
    b.outbox.on('retrying', () => void (retrying = true));
    c.outbox.on('retrying', () => void (retrying = true));
    [a, b, c].forEach((w) => w.outbox.start());
    await until(() => retrying, 'the 503');
    // The gate is in the database before the batch is released (one write with its retry).
    const gate = await pg.pool(1).query(`SELECT value FROM "${schema}".meta WHERE key LIKE 'gate:%'`);
    expect(gate.rows.length).toBe(1);
    const gateAt = Number(gate.rows[0]!.value);
    const answeredAt = mock.requests[0]!.at;
    expect(gateAt - answeredAt).toBeGreaterThan(1500);
    // New work for everybody while the gate is closed.
    await b.outbox.enqueue(makeRecords(30, 'later'));
    await within(Promise.all([a, b, c].map((w) => w.outbox.drain())), 'the drains', 30_000);
    const sends = mock.requests.filter((request) => request.api === 'send');
    expect(sends[0]!.status).toBe(503);
    // Every request after the 503 arrived once the gate had opened (the mock's clock; the gate is the database's).
    for (const request of sends.slice(1)) expect(request.at).toBeGreaterThanOrEqual(answeredAt + 1900);
    expect(new Set(mock.deliveredIds()).size).toBe(31);
    expect(duplicates(mock.deliveredIds())).toEqual([]);
  });

  it('flush() lifts a gate of a minute for the fleet: what the worker holds goes now, and another worker sends too', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 60 }] });
    const schema = pg.schema();
    const [a, b] = [worker(mock, schema), worker(mock, schema)];
    await a.outbox.enqueue(makeRecords(3, 'held'));
    let retrying = false;
    a.outbox.on('retrying', () => void (retrying = true));
    a.outbox.start();
    await until(() => retrying, 'the 503');
    await b.outbox.enqueue(makeRecords(2, 'new'));
    const summary = await within(a.outbox.flush(), 'the flush', 20_000);
    expect(summary.pending).toBe(0);
    b.outbox.start();
    await within(b.outbox.drain(), 'the drain', 20_000);
    expect(new Set(mock.deliveredIds())).toEqual(new Set(['held0', 'held1', 'held2', 'new0', 'new1']));
  });
});
