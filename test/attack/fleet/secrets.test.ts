// Secrets in a fleet: the connection string and its password "never" in an error (message,
// JSON, inspected with its cause), nor in an `error` event; the auth token never in the
// database's tables, even when the service echoes it back in error messages that are stored
// with the records (lastError) and in the gate row's neighbours.
import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { createOutbox } from '../../../src/postgres.js';
import { useMocks } from '../../helpers/mock-service.js';
import { records } from '../../helpers/records.js';
import { within } from '../../helpers/within.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { useWorkers } from '../../postgres/fleet-helpers.js';

const db = usePostgres();
const startMock = useMocks();
const worker = useWorkers(db);
const PASSWORD = 'Pw-S3cret-x9';
const base = { endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'tok' } };

describe('the connection string never shows', () => {
  it.each([
    ['refused', `postgres://someone:${PASSWORD}@127.0.0.1:1/test`],
    ['a password with # (not a valid URL)', `postgres://someone:${PASSWORD}#x@127.0.0.1:1/test`],
    ['a password with / and ?', `postgres://someone:${PASSWORD}/?x@127.0.0.1:1/test`],
    ['a host that does not resolve', `postgres://someone:${PASSWORD}@no-such-host.invalid/test`],
    ['key=value form', `host=127.0.0.1 port=1 user=someone password=${PASSWORD} dbname=test`],
  ])('%s: not in the error (inspected with its cause, as JSON) nor in any event', async (_, connectionString) => {
    const outbox = createOutbox({ ...base, connectionString });
    const events: unknown[] = [];
    outbox.on('error', (event) => void events.push(event));
    const error = (await outbox.enqueue(records('a')).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('StoreError');
    const drained = await outbox.drain().catch((e: unknown) => e);
    await outbox.close().catch(() => undefined);
    const shown = [inspect(error, { depth: 10 }), JSON.stringify(error), error.stack, inspect(events, { depth: 10 }), inspect(drained, { depth: 10 })].join('\n');
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(encodeURIComponent(PASSWORD));
  });
});

describe.skipIf(postgresMissing)('the auth token never in the tables', () => {
  it('a service that echoes the token (as is, base64, URL-encoded) in 503 and 400 answers: no form of it in entries or meta', { timeout: 60_000 }, async () => {
    const token = `tok-${Math.random().toString(36).slice(2)}-Secret+/=`;
    const echo = (form: string) => `token ${form} is not welcome`;
    const mock = await startMock({
      token,
      faults: [
        { status: 503, errorMsg: echo(token) },
        { status: 503, errorMsg: echo(Buffer.from(token).toString('base64')) },
        { status: 400, errorMsg: echo(encodeURIComponent(token)), errorCode: 'WKS.00131104' },
      ],
    });
    const schema = db.schema();
    const w = worker(mock, schema, { batchSize: 1, retry: FAST_RETRY });
    await w.outbox.enqueue(records('echoed'));
    w.outbox.start();
    await within(w.outbox.drain(), 'the drain', 20_000);
    expect((await w.outbox.dead()).map((entry) => entry.deadReason)).toEqual(['rejected']);
    const pool = db.pool(1);
    const { rows } = await pool.query(`SELECT (SELECT coalesce(string_agg(key || entry, ' '), '') FROM "${schema}".entries) || (SELECT coalesce(string_agg(key || value::text, ' '), '') FROM "${schema}".meta) AS everything`);
    const everything = String(rows[0]!.everything);
    expect(everything).toContain('is not welcome'); // the service's words are kept …
    for (const form of [token, Buffer.from(token).toString('base64'), encodeURIComponent(token), token.toLowerCase()]) expect(everything).not.toContain(form);
  });
});
