// Attacks on today's fleet drain change (src/fleet/fleet-outbox.ts): a failing count of the whole
// queue is reported once per streak and asked again; a streak of 3 s rejects; drain never hangs
// forever when the database is gone; abort and close end it promptly.
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { within } from '../../helpers/within.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);

type CountMode = { mode: 'pass' | 'fail' | 'hang'; failures: number; asked: number };

/** `pool` whose queries counting the queue pass, fail ("too many connections") or never answer, as `state` says. */
function countsAs(pool: pg.Pool, state: CountMode): pg.Pool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (text: unknown, ...rest: unknown[]) => {
        if (typeof text === 'string' && text.startsWith('SELECT count(*)')) {
          state.asked++;
          if (state.mode === 'hang') return new Promise(() => undefined);
          if (state.mode === 'fail' && state.failures > 0) {
            state.failures--;
            return Promise.reject(Object.assign(new Error('too many connections for role "app"'), { code: '53300', severity: 'FATAL' }));
          }
        }
        return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
      };
    },
  });
}

const settle = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ error: error as Error }));
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(postgresMissing)('fleet drain while the queue cannot be counted', () => {
  it('held: an AbortSignal aborted during the count-failure streak ends the drain within 1 s (before the 3 s streak)', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'fail', failures: Number.POSITIVE_INFINITY, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(3, 'a'));
    const controller = new AbortController();
    const drained = settle(w.outbox.drain({ signal: controller.signal }));
    await until(() => state.asked >= 1);
    const t0 = performance.now();
    controller.abort();
    const result = await within(drained, 'the aborted drain', 10_000);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect('error' in result && result.error.name).toBe('AbortError');
  });

  it('held: close() during the streak ends the drain within 1 s', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'fail', failures: Number.POSITIVE_INFINITY, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(3, 'c'));
    const drained = settle(w.outbox.drain());
    await until(() => state.asked >= 1);
    const t0 = performance.now();
    await within(w.outbox.close(), 'close', 10_000);
    await within(drained, 'the drain after close', 10_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('never hangs forever when the database stops answering the count (a black-holed host): the drain settles within 10 s', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'hang', failures: 0, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(3, 'h'));
    const result = await within(settle(w.outbox.drain()), 'the drain', 10_000).catch((e: Error) => ({ hung: e.message }));
    expect(result).not.toHaveProperty('hung');
  });

  it('an AbortSignal ends the drain promptly even while the count never answers', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'hang', failures: 0, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(3, 's'));
    const controller = new AbortController();
    const drained = settle(w.outbox.drain({ signal: controller.signal }));
    await until(() => state.asked >= 1);
    controller.abort();
    const result = await within(drained, 'the aborted drain', 3_000).catch((e: Error) => ({ hung: e.message }));
    expect(result).not.toHaveProperty('hung');
  });

  it('close() ends a drain promptly even while the count never answers', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'hang', failures: 0, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(3, 'k'));
    const drained = settle(w.outbox.drain());
    await until(() => state.asked >= 1);
    await within(w.outbox.close(), 'close', 10_000).catch(() => undefined);
    const result = await within(drained, 'the drain after close', 3_000).catch((e: Error) => ({ hung: e.message }));
    expect(result).not.toHaveProperty('hung');
  });

  it('pool.end() during a drain (not awaited: the worker still holds clients): the drain settles within 10 s, a StoreError if it rejects', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const pool = db.pool(3);
    let requests = 0;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests++;
      await new Promise((r) => setTimeout(r, 200));
      return globalThis.fetch(input, init);
    }) as typeof globalThis.fetch;
    const w = worker(mock, db.schema(), { pool, batchSize: 2, fetch });
    w.outbox.on('error', () => undefined);
    await w.outbox.enqueue(makeRecords(20, 'e'));
    const drained = settle(w.outbox.drain());
    await until(() => requests >= 1);
    void pool.end().catch(() => undefined);
    const result = await within(drained, 'the drain after pool.end()', 10_000).catch((e: Error) => ({ hung: e.message }));
    expect(result).not.toHaveProperty('hung');
    if ('error' in result) expect(result.error.name).toBe('StoreError');
  });

  it('a short count-failure streak under 4 concurrent drains is reported once, and every drain resolves with nothing pending', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const state: CountMode = { mode: 'fail', failures: 4, asked: 0 };
    const w = worker(mock, db.schema(), { pool: countsAs(db.pool(3), state), batchSize: 10 });
    const problems: string[] = [];
    w.outbox.on('error', ({ error, during }) => void problems.push(`${during}: ${error.message}`));
    await w.outbox.enqueue(makeRecords(20, 'm'));
    const drains = await within(Promise.all([1, 2, 3, 4].map(() => w.outbox.drain())), 'the drains', 20_000);
    for (const summary of drains) expect(summary.pending).toBe(0);
    expect(new Set(mock.deliveredIds()).size).toBe(20);
    expect(problems.filter((p) => p.includes('counting the queue'))).toHaveLength(1);
  });
});
