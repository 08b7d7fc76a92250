// Child process of the fleet tests: one worker (createOutbox from wks-mail-outbox/postgres over
// its own pool) that drains the shared queue to the end, then exits 0. Its requests carry an
// `x-worker` header (its name and pid), so the mock's log tells which worker sent what.
// stdout: `STARTED <name>` once it runs, `DONE <sent>` after its drain, `PROBLEM <message>` for
// each `error` event, `STATE <json>` every 5 s.
import pg from 'pg';
import { createOutbox } from '../../../src/postgres.js';

interface WorkerConfig {
  url: string;
  projectId: string;
  token: string;
  pgUrl: string;
  schema: string;
  name: string;
  leaseMs: number;
  batchSize: number;
}

const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const pool = new pg.Pool({ connectionString: config.pgUrl, max: 3 });
pool.on('error', () => undefined);
const tag = `${config.name}:${process.pid}`;
const fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => globalThis.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-worker': tag } })) as typeof globalThis.fetch;
const outbox = createOutbox({
  endpoint: config.url,
  projectId: config.projectId,
  auth: { token: config.token },
  pool,
  schema: config.schema,
  leaseMs: config.leaseMs,
  batchSize: config.batchSize,
  pollMs: 100,
  retry: { minDelayMs: 10, maxDelayMs: 200, jitter: 0, maxAttempts: 1000 },
  fetch,
});
outbox.on('error', ({ error }) => say(`PROBLEM ${error.message}`));
outbox.start();
// A hang tells what this worker sees: its picture of the queue, every few seconds.
const watch = setInterval(() => {
  const { counts, role, pausedReason } = outbox.getSnapshot();
  say(`STATE ${JSON.stringify({ counts, role, pausedReason, claiming: outbox.store.claiming })}`);
}, 5000);
watch.unref();
say(`STARTED ${tag}`);
const summary = await outbox.drain();
say(`DONE ${summary.sent}`);
await outbox.close();
await pool.end();
process.exit(0);
