// A fleet drain asks the database how much of the whole queue is pending. Found under a busy
// machine (test/attack/fleet/faults.test.ts, a role allowed two connections): when that question
// failed ("too many connections"), drain() threw, although sending goes on through such faults
// and a drain promises to wait until nothing is pending. Now the failure is reported (an `error`
// event, during 'store', once per streak) and the drain asks again after a poll; a streak of
// several seconds (the database gone, not busy) still ends the drain with the StoreError.
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { useMocks } from '../helpers/mock-service.js';
import { makeRecords } from '../helpers/records.js';
import { within } from '../helpers/within.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';
import { useWorkers } from './fleet-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);

/** `pool`, whose first `failures` queries counting the queue fail as PostgreSQL refuses a connection over the role's limit. */
function countsFail(pool: pg.Pool, failures: number): pg.Pool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: unknown, ...rest: unknown[]) => {
        if (typeof text === 'string' && text.startsWith('SELECT count(*)') && failures > 0) {
          failures--;
          return Promise.reject(Object.assign(new Error('too many connections for role "app"'), { code: '53300', severity: 'FATAL' }));
        }
        return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
      };
    },
  });
}

describe.skipIf(postgresMissing)('a fleet drain', () => {
  it('goes on when the whole queue cannot be counted for a while: no throw, the trouble reported, everything sent', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const w = worker(mock, db.schema(), { pool: countsFail(db.pool(3), 3), batchSize: 10 });
    const problems: string[] = [];
    w.outbox.on('error', ({ error, during }) => void problems.push(`${during}: ${error.message}`));
    await w.outbox.enqueue(makeRecords(30, 'c'));
    const summary = await within(w.outbox.drain(), 'the drain', 20_000);
    expect(summary).toEqual({ sent: 30, failed: 0, pending: 0 });
    expect(new Set(mock.deliveredIds()).size).toBe(30);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^store: store write failed: counting the queue: PostgreSQL: too many connections/);
  });

  it('ends with the StoreError when the count keeps failing for seconds', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const w = worker(mock, db.schema(), { pool: countsFail(db.pool(3), Number.POSITIVE_INFINITY), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(5, 'g'));
    const error = (await within(w.outbox.drain().catch((e: unknown) => e), 'the drain', 20_000)) as Error;
    expect(error.name).toBe('StoreError');
    expect(error.message).toMatch(/too many connections/);
    expect(new Set(mock.deliveredIds()).size).toBe(5);
  });
});
