// The main demo: a few hundred records through a flaky mock service, a restart halfway, and a
// summary. Run with `npm run demo`. No account needed: the service is the embedded mock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutbox, type Outbox } from '../../src/node.js';
import { startMockWorkspace } from '../../src/mock-server.js';
import { humanReporter } from '../../src/cli/reporter.js';

const RECORDS = 300;
const POISON = ['mail-0042', 'mail-0217'];
const out = humanReporter(process.stdout);
const say = (text: string) => out.message(text);

const mock = await startMockWorkspace({
  poisonIds: POISON,
  latencyMs: 15,
  faults: [
    // A 503 burst: the service asks for a pause with Retry-After.
    { status: 503, retryAfter: 1, times: 2 },
    {},
    {},
    { drop: true }, // a dropped connection
    {},
    // A throttle burst from the API gateway, as the real one answers it.
    { status: 429, errorCode: 'APIG.0308', errorMsg: 'The throttling threshold has been reached', retryAfter: 1, times: 2 },
  ],
  random: { seed: 2026, faults: [{ probability: 0.08, fault: { status: 500 } }] },
});
const dir = await mkdtemp(join(tmpdir(), 'wks-mail-outbox-demo-'));
const options = {
  endpoint: mock.url,
  projectId: mock.projectId,
  auth: { token: () => mock.token },
  language: 'en-us' as const,
  dir,
  batchSize: 20,
  retry: { minDelayMs: 150, maxDelayMs: 2000, jitter: 0.2 },
};
const records = Array.from({ length: RECORDS }, (_, i) => ({
  id: `mail-${String(i).padStart(4, '0')}`,
  account: `user-${i % 37}`,
  account_auth_type: i % 5 === 0 ? 'USER_GROUP' : 'USER',
  app_group_id: 'grp-demo',
  mail_send_type: 'ADD_GROUP_AUTHORIZATION',
}));

say(`mock Workspace service on ${mock.url}: 503 bursts with Retry-After, 8% 500s, a 429 throttle burst, a dropped connection, poison records ${POISON.join(', ')}`);
say(`outbox directory: ${dir} (a crash-safe journal; nothing is lost if this process dies)\n`);

/** Sends in the background until `stopAfter` records are settled, then closes (like a process going away). */
async function runUntil(outbox: Outbox, stopAfter: number): Promise<void> {
  let settled = 0;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (++settled >= stopAfter) resolve();
    };
    outbox.on('sent', check);
    outbox.on('failed', check);
    outbox.start();
  });
}

const started = Date.now();
try {
  // Part 1: enqueue everything, send about half, then stop as if the process were restarted.
  const first = createOutbox(options);
  const stopFirst = out.follow(first, 0);
  await first.enqueue(records);
  await runUntil(first, RECORDS / 2);
  stopFirst();
  await first.close();
  const left = (await peekPending(dir)).length;
  say(`\n-- restart: the first outbox closed with ${left} records still queued; a new one opens the same directory --\n`);

  // Part 2: a new outbox over the same directory picks up where the first stopped.
  const second = createOutbox(options);
  const stopSecond = out.follow(second, left);
  const summary = await second.drain();
  stopSecond();
  const dead = await second.dead();
  await second.close();

  const delivered = new Set(mock.deliveredIds());
  out.summary({ sent: delivered.size, failed: dead.length, pending: summary.pending, requests: mock.requests.length, dead });
  const statuses = new Map<string, number>();
  for (const request of mock.requests) statuses.set(String(request.status), (statuses.get(String(request.status)) ?? 0) + 1);
  say(`\n  answers       ${[...statuses].map(([status, count]) => `${status}×${count}`).join(' ')}`);
  say(`  took          ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (delivered.size + dead.length !== RECORDS || summary.pending !== 0) throw new Error('some records are unaccounted for');
  say(`\nall ${RECORDS} records accounted for: ${delivered.size} delivered, ${dead.length} dead-lettered (the poison ones), none lost.`);
} finally {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
}

async function peekPending(directory: string) {
  const { FileStore } = await import('../../src/node.js');
  const store = new FileStore({ dir: directory });
  try {
    return (await store.load()).entries.filter((entry) => entry.state === 'pending');
  } finally {
    await store.close();
  }
}
