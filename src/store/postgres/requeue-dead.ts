// Dead rows back to pending, in one transaction: read them locked (SKIP LOCKED: a concurrent
// requeue of the same rows counts them once), rewrite their entries on the database's clock,
// unleased (whichever worker claims them sends them), and wake the workers.
import { revivedEntry } from '../entry.js';
import type { PgPool } from './pg-types.js';
import { entryOf, entryText, idText } from './rows.js';
import type { StoreSql } from './store-sql.js';

export async function requeueDead(pool: PgPool, sql: StoreSql, ids: readonly string[] | undefined, channel: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(sql.deadToRequeue, [ids === undefined ? null : ids.map(idText)]);
    const revived = rows.map((row) => {
      const entry = entryOf(row);
      return { k: row.key as string, e: entryText(revivedEntry(entry, Number(row.now))), q: entry.seq };
    });
    const { rows: [done] } = await client.query(sql.requeue, [JSON.stringify(revived), channel]);
    await client.query('COMMIT');
    return Number(done?.count ?? 0);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
