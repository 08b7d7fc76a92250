// Child of the fleet attack tests: one worker whose event loop stands still for `blockMs` right
// before its first request (its token provider spins: a CPU-bound handler, a long GC pause, a
// paused VM would do the same). It then drains the queue and exits 0. Its requests carry an
// `x-worker: blocked` header. stdout: `BLOCKING` when the spin starts, `UNBLOCKED`, `DONE <sent>`.
import pg from 'pg';
import { createOutbox } from '../../../../src/postgres.js';

interface Config {
  url: string;
  projectId: string;
  token: string;
  pgUrl: string;
  schema: string;
  leaseMs: number;
  batchSize: number;
  blockMs: number;
}

const config = JSON.parse(process.argv[2] ?? '') as Config;
const say = (line: string) => process.stdout.write(`${line}\n`);
const pool = new pg.Pool({ connectionString: config.pgUrl, max: 3 });
pool.on('error', () => undefined);
let blocked = false;
const token = () => {
  if (!blocked) {
    blocked = true;
    say('BLOCKING');
    const end = Date.now() + config.blockMs;
    while (Date.now() < end) {
      // the event loop stands still
    }
    say('UNBLOCKED');
  }
  return config.token;
};
const fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => globalThis.fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-worker': 'blocked' } })) as typeof globalThis.fetch;
const outbox = createOutbox({
  endpoint: config.url,
  projectId: config.projectId,
  auth: { token },
  pool,
  schema: config.schema,
  leaseMs: config.leaseMs,
  batchSize: config.batchSize,
  pollMs: 100,
  retry: { minDelayMs: 10, maxDelayMs: 200, jitter: 0 },
  fetch,
});
outbox.start();
const summary = await outbox.drain();
say(`DONE ${summary.sent}`);
await outbox.close();
await pool.end();
process.exit(0);
