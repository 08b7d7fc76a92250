// Child of the fleet attack tests, to be SIGKILLed mid-way. Modes:
// - `bulk`: enqueues `count` records `<prefix>N` in one call; stdout `ENQUEUING`, then `ENQUEUED`.
// - `tx`: opens a transaction, enqueues `count` records with `{ client }`; stdout `IN_TX`, then waits.
// - `migrate`: migrates fresh schemas `<prefix>_0`, `<prefix>_1`, … in a loop; stdout `MIGRATED <i>`.
// It never exits by itself (it waits to be killed).
import pg from 'pg';
import { createOutbox, migrate } from '../../../../src/postgres.js';

interface Config {
  mode: 'bulk' | 'tx' | 'migrate';
  pgUrl: string;
  schema: string;
  prefix: string;
  count: number;
}

const config = JSON.parse(process.argv[2] ?? '') as Config;
const say = (line: string) => process.stdout.write(`${line}\n`);
const pool = new pg.Pool({ connectionString: config.pgUrl, max: 3 });
pool.on('error', () => undefined);
const ids = Array.from({ length: config.count }, (_, index) => ({ id: `${config.prefix}${index}` }));
const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'tok' }, pool, schema: config.schema });

if (config.mode === 'bulk') {
  await outbox.counts(); // migrated, connected
  say('ENQUEUING');
  await outbox.enqueue(ids);
  say('ENQUEUED');
} else if (config.mode === 'tx') {
  await outbox.counts();
  const client = await pool.connect();
  await client.query('BEGIN');
  await outbox.enqueue(ids, { client });
  say('IN_TX');
} else {
  for (let index = 0; ; index++) {
    await migrate({ pool, schema: `${config.prefix}_${index}` });
    say(`MIGRATED ${index}`);
  }
}
setInterval(() => undefined, 60_000);
