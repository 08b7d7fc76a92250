// close() while a read (a claim) is under way, as when a worker's poll or a notification comes
// at its shutdown: the read must not start renewing or LISTENing after the close, or the
// application's pool.end() waits forever for a connection nobody will let go of (the fleet's
// worker processes hung at exit this way). What the late claim took is let go of again.
import { describe, expect, it } from 'vitest';
import { createOutbox, PostgresStore } from '../../src/postgres.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';
import { within } from '../helpers/within.js';
import { makeRecords } from '../helpers/records.js';

const pg = usePostgres();

describe.skipIf(postgresMissing)('closing a PostgresStore while it reads', () => {
  it('leaves no connection checked out, no lease held and reports nothing later, whatever the read had reached', { timeout: 60_000 }, async () => {
    const schema = pg.schema();
    const producer = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: 'a'.repeat(32), auth: { token: 't' }, pool: pg.pool(2), schema });
    await producer.enqueue(makeRecords(5, 'c'));
    await producer.close();
    // Each round stops the read at another point: before its claim, between its statements, after.
    for (let round = 0; round < 12; round++) {
      const pool = pg.pool(3);
      const problems: string[] = [];
      const store = new PostgresStore({ pool, schema, leaseMs: 500 });
      store.onProblem = (problem) => problems.push(problem);
      store.watch(() => undefined);
      await store.load(); // listening, renewing
      const reading = store.load().then(() => 'read', (error: Error) => error.message);
      for (let tick = 0; tick < round; tick++) await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      expect(['read', 'the store is closed']).toContain((await reading).replace(/^.*: /, ''));
      await within(pool.end(), `round ${round}: the application's pool.end()`, 10_000);
      // Two renewal periods: a renewal started by the late read would report the closed store.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(problems).toEqual([]);
      const held = await pg.pool(1).query(`SELECT count(*)::int AS n FROM "${schema}".entries WHERE lease_owner = $1 AND lease_until > clock_timestamp()`, [store.owner]);
      expect(held.rows[0]!.n).toBe(0);
    }
  });
});
