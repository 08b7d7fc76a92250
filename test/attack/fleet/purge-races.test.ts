// purge() while a worker sends the same rows. Promises attacked: "a purged row that a worker is
// sending is not written back by it" (holds: tested in test/postgres too, here with a failing
// send) and "Nothing acknowledged is lost … A record leaves the store only after a 200 for its
// request, or by purge()": an id purged while in flight and enqueued again (a corrected record)
// is a new, acknowledged record; the old request's 200 must not delete it.
import { describe, expect, it } from 'vitest';
import { useMocks } from '../../helpers/mock-service.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';
import { deliveredCopies } from './attack-helpers.js';

const pg = usePostgres();
const startMock = useMocks();
const worker = useWorkers(pg);

describe.skipIf(postgresMissing)('purge while a worker sends the same record', () => {
  it('a purged record whose request then fails (503, last attempt) is not brought back as dead or pending', { timeout: 60_000 }, async () => {
    const mock = await startMock({ faults: [{ status: 503, delayMs: 1500 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { batchSize: 1, retry: { ...FAST_RETRY, maxAttempts: 1 } });
    const admin = worker(mock, schema);
    await admin.outbox.enqueue([{ id: 'gone', account: 'x' }]);
    a.outbox.start();
    await until(() => a.sent.includes('gone'), 'the request', 10_000);
    expect(await admin.outbox.purge(['gone'])).toBe(1);
    await within(a.outbox.drain(), 'the drain', 20_000);
    expect(await admin.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });

  it('an id purged while in flight and enqueued again: the new record is still delivered (the old 200 does not delete it)', { timeout: 60_000 }, async () => {
    // a's request with the old record takes 2 s.
    const mock = await startMock({ faults: [{ delayMs: 2000 }] });
    const schema = pg.schema();
    const a = worker(mock, schema, { batchSize: 1 });
    const app = worker(mock, schema); // a producer and admin: never started
    await app.outbox.enqueue([{ id: 'x', account: 'old@example.com' }]);
    a.outbox.start();
    await until(() => a.sent.includes('x'), 'the request with the old record', 10_000);
    // The operator purges the wrong record; the application enqueues the corrected one.
    expect(await app.outbox.purge(['x'])).toBe(1);
    const again = await app.outbox.enqueue([{ id: 'x', account: 'new@example.com' }]);
    expect(again.added.map((record) => record.account)).toEqual(['new@example.com']); // acknowledged, stored
    await until(() => deliveredCopies(mock, 'x').length >= 1, 'the old request\'s 200', 10_000);
    await within(a.outbox.drain(), 'the drain', 20_000);
    const delivered = deliveredCopies(mock, 'x').map((record) => record.account);
    // Broken: a claimed the new row while its old request was out, and the old request's 200
    // deleted the row by key: the new record is gone, never sent.
    expect({ delivered, left: await app.outbox.counts() }).toEqual({ delivered: ['old@example.com', 'new@example.com'], left: { pending: 0, dead: 0, leased: 0 } });
  });
});
