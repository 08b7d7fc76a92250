// enqueue(records, { client }): "the records commit (and are sent) only with your change",
// "rolled back → never sent; committed → durable", migrate runs "in a transaction of its own,
// never on your client", the pool may be "any copy of pg". Attacked: savepoints, clients of
// another pool or another pg copy, things that are not clients, an aborted transaction, and the
// outbox's first statement arriving while the application holds every connection of the pool.
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createOutbox, migrate } from '../../../src/postgres.js';
import { useMocks } from '../../helpers/mock-service.js';
import { records } from '../../helpers/records.js';
import { within } from '../../helpers/within.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, end: 'COMMIT' | 'ROLLBACK' = 'COMMIT'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(end);
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

describe.skipIf(postgresMissing)('enqueue inside the caller\'s transaction', () => {
  it('savepoints: rolled back to a savepoint → not stored; released → stored with the commit', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema);
    await w.outbox.counts();
    await inTransaction(db.pool(1), async (client) => {
      await client.query('SAVEPOINT s1');
      await w.outbox.enqueue(records('undone'), { client });
      await client.query('ROLLBACK TO SAVEPOINT s1');
      await client.query('SAVEPOINT s2');
      await w.outbox.enqueue(records('kept'), { client });
      await client.query('RELEASE SAVEPOINT s2');
    });
    expect((await w.outbox.pending()).map((entry) => entry.record.id)).toEqual(['kept']);
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds()).toEqual(['kept']);
  });

  it('a client of another pool, and a structural client (another copy of pg): committed rows are sent, rolled back ones are not', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema);
    await w.outbox.counts();
    const other = db.pool(1);
    await inTransaction(other, (client) => w.outbox.enqueue(records('other-pool'), { client }));
    // Only `query`, as a client of another copy of pg (or a thin wrapper) would offer.
    await inTransaction(other, (client) => w.outbox.enqueue(records('wrapped'), { client: { query: (text: string, values?: unknown[]) => client.query(text, values) } }));
    await inTransaction(other, (client) => w.outbox.enqueue(records('wrapped-undone'), { client: { query: (text: string, values?: unknown[]) => client.query(text, values) } }), 'ROLLBACK');
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds().sort()).toEqual(['other-pool', 'wrapped']);
  });

  it('things that are not clients are refused, and an aborted transaction stores nothing', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const w = worker(mock, schema);
    await w.outbox.counts();
    for (const client of [{}, { query: 42 }, null, 'postgres://x']) {
      const error = (await w.outbox.enqueue(records('nope'), { client: client as never }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toMatch(/TypeError|ValidationError/);
    }
    const answersGarbage = (await w.outbox.enqueue(records('garbage'), { client: { query: () => 'not a result' } as never }).catch((e: unknown) => e)) as Error;
    expect(answersGarbage.name).toBe('StoreError');
    const aborted = await inTransaction(db.pool(1), async (client) => {
      await client.query('SELECT 1/0').catch(() => undefined);
      return (await w.outbox.enqueue(records('aborted'), { client }).catch((e: unknown) => e)) as Error;
    }, 'ROLLBACK');
    expect(aborted.name).toBe('StoreError');
    expect(aborted.message).toMatch(/aborted/);
    expect(await w.outbox.counts()).toEqual({ pending: 0, dead: 0, leased: 0 });
  });

  it('an id inside an open transaction: a concurrent enqueue of it waits, then is added after a rollback and coalesced after a commit', async () => {
    const mock = await startMock();
    const schema = db.schema();
    const [w, v] = [worker(mock, schema), worker(mock, schema)];
    await w.outbox.counts();
    const pool = db.pool(2);
    const outcome = async (end: 'COMMIT' | 'ROLLBACK', id: string) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await w.outbox.enqueue(records(id), { client });
        const concurrent = v.outbox.enqueue(records(id));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query(end);
        return await within(concurrent, 'the concurrent enqueue', 10_000);
      } finally {
        client.release();
      }
    };
    expect((await outcome('ROLLBACK', 'r')).added.map((r) => r.id)).toEqual(['r']);
    expect((await outcome('COMMIT', 'c')).coalesced.map((r) => r.id)).toEqual(['c']);
    v.outbox.start();
    await within(v.outbox.drain(), 'the drain', 20_000);
    expect(mock.deliveredIds().sort()).toEqual(['c', 'r']);
  });

  it('the outbox\'s first statement while the application holds every connection: a clear error on a fresh deploy, and it completes once migrated', { timeout: 30_000 }, async () => {
    const mock = await startMock();
    const schema = db.schema(); // a fresh deploy: never migrated
    const pool = db.pool(2);
    // Two requests arrive at once; each checks out a client and opens its transaction, then the
    // first one makes the outbox (a lazily created singleton) and both enqueue in their transactions.
    const handle = async (outbox: ReturnType<typeof createOutbox>, tag: string) => {
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      try {
        return await within(Promise.allSettled(clients.map(async (client, index) => {
          await client.query('BEGIN');
          try {
            await outbox.enqueue(records(`${tag}${index}`), { client });
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        })), 'two enqueues inside their transactions', 10_000);
      } finally {
        for (const client of clients) client.release();
      }
    };
    // Never migrated: the caller's client is not the place for DDL (a rollback would undo it), and
    // the pool has no connection free for it. Was broken: a deadlock with no error.
    const first = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool, schema });
    const refused = await handle(first, 'fresh');
    for (const outcome of refused) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/StoreError: .*run migrate\(\)/);
    }
    await first.close();
    // Migrated at start-up (the README's advice for this case): the same moment completes.
    await migrate({ pool, schema });
    const second = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, pool, schema, migrate: false });
    try {
      expect((await handle(second, 'handler')).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
      expect((await second.counts()).pending).toBe(2);
    } finally {
      await second.close().catch(() => undefined);
    }
  });
});
