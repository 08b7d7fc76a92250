// The statements of a PostgresStore, for one schema. Every time is the database's clock
// (`clock_timestamp()`, not `now()`, which stands still for a whole transaction), in
// milliseconds since the epoch where it meets the engine's times.
import { qualified } from './schema-name.js';

const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::float8`;
const LEASE_END = `clock_timestamp() + make_interval(secs => $2::float8 / 1000)`;

export interface StoreSql {
  /** $1 owner, $2 lease ms, $3 most pending rows held: renews this owner's leases, claims more (SKIP LOCKED, not while a gate is closed), and reads them with every dead row. */
  claim: string;
  /** $1 horizon ms: a gate row further ahead than now + horizon (a wrong clock, a hand edit) is brought back to it. */
  clampGates: string;
  /** The meta values and the database's clock. */
  metaAndNow: string;
  /** $1 rows as JSON `[{k, e, n}]` (key, entry, next attempt time), $2 channel: stores the rows whose key is free or dead, unleased, and wakes the workers; returns the keys stored. */
  addNew: string;
  /** $1 owner, $2 lease ms, $3 rows as JSON `[{k, e, s, q, n}]` (key, entry, state, seq, next attempt time): inserts or replaces, held by this owner, unless another owner holds the row. */
  putMany: string;
  /** Like `putMany`, but only rows that exist at that seq: what was purged meanwhile stays purged, and a row enqueued again under its key is not overwritten. */
  updateMany: string;
  /** $1 keys, $2 rows as JSON `[{k, q}]`: the keys whatever their seq, and these keys only at that seq. */
  deleteMany: string;
  /** $1 record ids as JSON string contents, or null: those rows whatever their state, or every dead one; returns how many. */
  purge: string;
  /** $1 keys to remove, $2 keys to set, $3 their values, $4 channel. */
  setMeta: string;
  /** $1 keys, $2 reason: rows that are not entries (corrupted, hand-edited) moved to the quarantine table. */
  quarantine: string;
  /** $1 record ids as JSON string contents, or null for every one: dead rows, locked (SKIP LOCKED), with the database's time. */
  deadToRequeue: string;
  /** $1 rows as JSON `[{k, e, q}]` (key, revived entry, the dead row's seq), $2 channel: back to pending, unleased, new seq. */
  requeue: string;
  /** $1 owner, $2 lease ms. */
  renew: string;
  /** $1 owner, $2 keys kept (in a request right now). */
  release: string;
  /** $1 owner, $2 lease ms, $3 rows as JSON `[{k, q}]`: renews those this owner still holds at that seq; returns their keys. */
  confirm: string;
  /** Pending and dead counts of the whole queue. */
  counts: string;
  /** $1 state: every row in that state. */
  rowsIn: string;
}

export function storeSql(schema: string): StoreSql {
  const entries = qualified(schema, 'entries');
  const meta = qualified(schema, 'meta');
  return {
    claim: `
      WITH mine AS (
        UPDATE ${entries} SET lease_until = ${LEASE_END} WHERE lease_owner = $1 RETURNING key, entry, seq
      ), free AS (
        SELECT e.key FROM ${entries} e
        WHERE e.state = 'pending' AND (e.lease_owner IS NULL OR e.lease_until < clock_timestamp()) AND e.lease_owner IS DISTINCT FROM $1
          AND NOT EXISTS (SELECT 1 FROM ${meta} m WHERE m.key LIKE 'gate:%' AND m.value > ${NOW_MS})
        ORDER BY e.next_attempt_at, e.seq
        LIMIT GREATEST($3::int - (SELECT count(*) FROM ${entries} h WHERE h.lease_owner = $1 AND h.state = 'pending'), 0)
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE ${entries} e SET lease_owner = $1, lease_until = ${LEASE_END} FROM free WHERE e.key = free.key RETURNING e.key, e.entry, e.seq
      )
      SELECT key, entry, seq FROM mine
      UNION ALL SELECT key, entry, seq FROM claimed
      UNION ALL SELECT key, entry, seq FROM ${entries} WHERE state = 'dead' AND lease_owner IS DISTINCT FROM $1`,
    clampGates: `UPDATE ${meta} SET value = ${NOW_MS} + $1::float8 WHERE key LIKE 'gate:%' AND value > ${NOW_MS} + $1::float8`,
    metaAndNow: `SELECT ${NOW_MS} AS now, coalesce((SELECT json_object_agg(key, value) FROM ${meta}), '{}'::json) AS meta`,
    addNew: `
      WITH stored AS (
        INSERT INTO ${entries} AS e (key, entry, state, next_attempt_at)
        SELECT t.k, t.e, 'pending', t.n FROM json_to_recordset($1::json) AS t(k text, e text, n float8)
        ON CONFLICT (key) DO UPDATE SET entry = EXCLUDED.entry, state = 'pending', seq = DEFAULT, next_attempt_at = EXCLUDED.next_attempt_at, lease_owner = NULL, lease_until = NULL
        WHERE e.state = 'dead'
        RETURNING e.key
      )
      SELECT key, pg_notify($2, 'added') FROM stored`,
    putMany: `
      INSERT INTO ${entries} AS e (key, entry, state, seq, next_attempt_at, lease_owner, lease_until)
      SELECT t.k, t.e, t.s, t.q, t.n, $1, ${LEASE_END}
      FROM json_to_recordset($3::json) AS t(k text, e text, s text, q bigint, n float8)
      ON CONFLICT (key) DO UPDATE SET entry = EXCLUDED.entry, state = EXCLUDED.state, seq = EXCLUDED.seq, next_attempt_at = EXCLUDED.next_attempt_at, lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
      WHERE e.lease_owner IS NULL OR e.lease_owner = $1 OR e.lease_until < clock_timestamp() OR e.state = 'dead'`,
    updateMany: `
      UPDATE ${entries} AS e SET entry = t.e, state = t.s, seq = t.q, next_attempt_at = t.n, lease_owner = $1, lease_until = ${LEASE_END}
      FROM json_to_recordset($3::json) AS t(k text, e text, s text, q bigint, n float8)
      WHERE e.key = t.k AND e.seq = t.q AND (e.lease_owner IS NULL OR e.lease_owner = $1 OR e.lease_until < clock_timestamp() OR e.state = 'dead')`,
    deleteMany: `
      DELETE FROM ${entries} e WHERE e.key = ANY($1::text[])
        OR EXISTS (SELECT 1 FROM json_to_recordset($2::json) AS t(k text, q bigint) WHERE t.k = e.key AND t.q = e.seq)`,
    // A key is the JSON text of "<32 hex project id>:<record id>": the id's JSON contents start at character 35.
    purge: `
      WITH gone AS (
        DELETE FROM ${entries}
        WHERE CASE WHEN $1::text[] IS NULL THEN state = 'dead' ELSE substr(key, 35, length(key) - 35) = ANY($1::text[]) END
        RETURNING 1
      )
      SELECT count(*)::int AS count FROM gone`,
    setMeta: `
      WITH removed AS (DELETE FROM ${meta} WHERE key = ANY($1::text[])),
      kept AS (
        INSERT INTO ${meta} (key, value) SELECT * FROM unnest($2::text[], $3::float8[])
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
      )
      SELECT pg_notify($4, 'meta')`,
    quarantine: `
      WITH moved AS (DELETE FROM ${entries} WHERE key = ANY($1::text[]) RETURNING key, entry)
      INSERT INTO ${qualified(schema, 'quarantine')} (key, entry, reason) SELECT key, entry, $2 FROM moved`,
    deadToRequeue: `
      SELECT key, entry, seq, ${NOW_MS} AS now FROM ${entries}
      WHERE state = 'dead' AND ($1::text[] IS NULL OR substr(key, 35, length(key) - 35) = ANY($1::text[]))
      FOR UPDATE SKIP LOCKED`,
    requeue: `
      WITH revived AS (
        UPDATE ${entries} e SET entry = t.e, state = 'pending', seq = DEFAULT, next_attempt_at = 0, lease_owner = NULL, lease_until = NULL
        FROM json_to_recordset($1::json) AS t(k text, e text, q bigint)
        WHERE e.key = t.k AND e.seq = t.q AND e.state = 'dead'
        RETURNING 1
      )
      SELECT count(*)::int AS count, pg_notify($2, 'requeued') FROM revived`,
    renew: `UPDATE ${entries} SET lease_until = ${LEASE_END} WHERE lease_owner = $1`,
    release: `UPDATE ${entries} SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND NOT (key = ANY($2::text[]))`,
    confirm: `
      UPDATE ${entries} e SET lease_until = ${LEASE_END}
      FROM json_to_recordset($3::json) AS t(k text, q bigint)
      WHERE e.key = t.k AND e.seq = t.q AND e.lease_owner = $1 AND e.state = 'pending'
      RETURNING e.key`,
    counts: `SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead, count(*) FILTER (WHERE state = 'pending' AND lease_owner IS NOT NULL AND lease_until >= clock_timestamp()) AS leased FROM ${entries}`,
    rowsIn: `SELECT key, entry, seq FROM ${entries} WHERE state = $1 ORDER BY seq`,
  };
}
