// "A worker's own failed writes are reported through `error`, the deletes they carried are
// retried with later writes (a re-read does not bring their records back), and sending resumes
// by itself when the server is back." Attacked with deletes that the database refuses for a while
// (a real statement failure: a trigger that raises, then is dropped), on a worker that sends one
// batch at a time, as the CLI and most single workers do.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { sleep } from '../../helpers/sleep.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredTwice } from './attack-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);

async function refuseDeletes(schema: string): Promise<() => Promise<void>> {
  const admin = db.pool(1);
  await admin.query(`CREATE FUNCTION "${schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'deletes are refused for now'; END $$`);
  await admin.query(`CREATE TRIGGER refuse BEFORE DELETE ON "${schema}".entries FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".refuse()`);
  return async () => void (await admin.query(`DROP TRIGGER refuse ON "${schema}".entries`));
}

describe.skipIf(postgresMissing)('deletes the database refused for a while', () => {
  it('two refused deletes, then the database accepts again: the worker sends the other 80 records and empties the queue', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema, { batchSize: 10, concurrency: 1 });
    await w.outbox.enqueue(makeRecords(100, 'del'));
    const problems: string[] = [];
    w.outbox.on('error', ({ error }) => void problems.push(error.message));
    const accept = await refuseDeletes(schema);
    w.outbox.start();
    await until(() => problems.filter((problem) => /deletes are refused/.test(problem)).length >= 2, 'two refused deletes', 10_000);
    await accept();
    // Broken: the 20 delivered rows are still this worker's (owed deletes, left out of its reads)
    // and fill its claim limit (twice batchSize × concurrency), so it claims nothing more; with
    // nothing to send it writes nothing, so the owed deletes are never retried: it stands still
    // (drain() never ends) until close().
    const summary = await within(w.outbox.drain(), 'the drain after the database accepts deletes again', 20_000);
    expect(summary.pending).toBe(0);
    expect(new Set(mock.deliveredIds()).size).toBe(100);
  });

  it('the same with a second worker: it sends the rest, and the queue empties (the first lets go of its owed rows)', { timeout: 60_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema, { batchSize: 10, concurrency: 1 });
    await w.outbox.enqueue(makeRecords(100, 'two'));
    const problems: string[] = [];
    w.outbox.on('error', ({ error }) => void problems.push(error.message));
    const accept = await refuseDeletes(schema);
    w.outbox.start();
    await until(() => problems.filter((problem) => /deletes are refused/.test(problem)).length >= 2, 'two refused deletes', 10_000);
    await accept();
    const other = worker(mock, schema, { batchSize: 10 });
    other.outbox.start();
    await until(() => new Set(mock.deliveredIds()).size === 100, 'every record delivered by someone', 20_000);
    await sleep(1000);
    // Broken: the 20 delivered rows stay pending, leased (and renewed) by the first worker for as
    // long as it lives, so no drain of the fleet ends. (In some runs the first worker also sends
    // ten of them again: a re-read overlapping the retry of its owed deletes brings them back.)
    expect({ twice: deliveredTwice(mock), left: await other.outbox.counts() }).toEqual({ twice: {}, left: { pending: 0, dead: 0, leased: 0 } });
  });
});
