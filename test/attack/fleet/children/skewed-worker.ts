// Child of the fleet attack tests: a process on a machine whose clock is `skewMs` off (Date.now
// is shifted before anything else runs). Mode `worker`: enqueues `ids`, drains, exits 0
// (stdout `DONE <sent> <failed>`). Mode `tx-producer`: an application that opens a transaction
// on its pool, then makes its outbox (lazily, in the handler) and enqueues `ids` with
// `{ client }`, commits, exits 0 (stdout `DONE`). `PROBLEM <message>` for each `error` event.
import pg from 'pg';

interface Config {
  url: string;
  projectId: string;
  token: string;
  pgUrl: string;
  schema: string;
  skewMs: number;
  ids: string[];
  maxAttempts: number;
  mode?: 'worker' | 'tx-producer';
}

const config = JSON.parse(process.argv[2] ?? '') as Config;
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + config.skewMs;
const { createOutbox } = await import('../../../../src/postgres.js');
const say = (line: string) => process.stdout.write(`${line}\n`);
const pool = new pg.Pool({ connectionString: config.pgUrl, max: 3 });
pool.on('error', () => undefined);
const client = config.mode === 'tx-producer' ? await pool.connect() : undefined;
await client?.query('BEGIN');
const outbox = createOutbox({
  endpoint: config.url,
  projectId: config.projectId,
  auth: { token: config.token },
  pool,
  schema: config.schema,
  pollMs: 100,
  retry: { minDelayMs: 10, maxDelayMs: 200, jitter: 0, maxAttempts: config.maxAttempts },
});
outbox.on('error', ({ error }) => say(`PROBLEM ${error.message}`));
if (client) {
  await outbox.enqueue(config.ids.map((id) => ({ id })), { client });
  await client.query('COMMIT');
  client.release();
  say('DONE');
  await outbox.close();
  await pool.end();
  process.exit(0);
}
await outbox.enqueue(config.ids.map((id) => ({ id })));
outbox.start();
const summary = await outbox.drain();
say(`DONE ${summary.sent} ${summary.failed}`);
await outbox.close();
await pool.end();
process.exit(0);
