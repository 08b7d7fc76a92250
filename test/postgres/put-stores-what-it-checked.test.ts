// PostgresStore writes what it checked, as the FileStore does: an unknown field (which could hold
// anything, a secret included) is not stored, a `toJSON` cannot swap in other data, and a getter
// is read once, so a value that passes the check cannot be written as another one. What a new
// worker loads is what was checked.
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/postgres.js';
import { bareEntry } from '../../src/testing.js';
import type { OutboxEntry } from '../../src/index.js';
import { postgresMissing, usePostgres } from '../helpers/postgres.js';

const db = usePostgres();

/** A store over a fresh schema, and what another store over it loads. */
async function storeAndReader(): Promise<{ store: PostgresStore; loaded: () => Promise<OutboxEntry[]>; rows: () => Promise<string> }> {
  const pool = db.pool(2);
  const schema = db.schema();
  const store = new PostgresStore({ pool, schema });
  return {
    store,
    rows: async () => JSON.stringify((await pool.query(`SELECT entry FROM "${schema}".entries`)).rows),
    loaded: async () => {
      const reader = new PostgresStore({ pool, schema });
      const { entries, problems = [] } = await reader.load();
      await reader.close();
      expect(problems).toEqual([]);
      return entries;
    },
  };
}

describe.skipIf(postgresMissing)('PostgresStore stores what it checked', () => {
  it('an unknown field is not stored, neither by putMany nor by addNew', async () => {
    const { store, loaded, rows } = await storeAndReader();
    const extra = { secret: 'not for the database' };
    await store.putMany([{ ...bareEntry('u', { seq: 1 }), ...extra } as OutboxEntry]);
    await store.addNew?.([{ ...bareEntry('v', { seq: 2 }), ...extra } as OutboxEntry]);
    await store.close();
    expect(await rows()).not.toContain('not for the database');
    const entries = await loaded();
    expect(entries.map((entry) => entry.key).sort()).toEqual([bareEntry('u').key, bareEntry('v').key].sort());
    expect(JSON.stringify(entries)).not.toContain('not for the database');
  });

  it('a toJSON that would write other data is not used', async () => {
    const { store, loaded } = await storeAndReader();
    await store.putMany([{ ...bareEntry('t', { seq: 1 }), toJSON: () => ({ ...bareEntry('t', { seq: 1 }), record: { id: 'other' } }) } as unknown as OutboxEntry]);
    await store.close();
    expect((await loaded()).map((entry) => entry.record.id)).toEqual(['t']);
  });

  it('a getter giving a valid value first and an invalid one after: read once, the checked value stored', async () => {
    const { store, loaded } = await storeAndReader();
    let reads = 0;
    const entry = { ...bareEntry('g', { seq: 1 }) } as Record<string, unknown>;
    Object.defineProperty(entry, 'attempts', { enumerable: true, get: () => (reads++ === 0 ? 2 : Number.POSITIVE_INFINITY) });
    await store.putMany([entry as unknown as OutboxEntry]);
    await store.close();
    expect(reads).toBe(1);
    expect((await loaded()).map((stored) => stored.attempts)).toEqual([2]);
  });
});
