// Child process of the SIGKILL crash test: an outbox (node entry) over a FileStore that compacts
// often, sending to the mock at `url`. It enqueues records `prefix + from … prefix + (to - 1)` in
// small seeded groups while draining, and reports on stdout, one fact per line:
//   OPENED <pending>     the store opened (a killed predecessor's lock taken over)
//   OPEN-FAILED <why>    it did not (then exits 3)
//   ENQ <id>             about to enqueue it (not yet acknowledged)
//   ACK <id>             enqueue() resolved: the record is durable
//   SENT <id>            the outbox saw it delivered
//   PROBLEM <message>    the outbox's `error` event (repairs on open, store faults)
//   DONE <pending>       everything enqueued and drained (then exits 0)
import { mulberry32 } from '../../../src/mock/faults.js';
import { createOutbox, FileStore } from '../../../src/node.js';
import { sleep } from '../../helpers/sleep.js';

interface CrashChildConfig {
  url: string;
  projectId: string;
  token: string;
  dir: string;
  prefix: string;
  from: number;
  to: number;
  seed: number;
  groupMax: number;
  batchSize: number;
  compactSlack: number;
}

const config = JSON.parse(process.argv[2] ?? '') as CrashChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The group sizes and pauses are seeded, like the kills (the mock's own mulberry32). */
const prng = mulberry32;
const random = prng(config.seed);

const store = new FileStore({ dir: config.dir, compactSlack: config.compactSlack });
const outbox = createOutbox({
  endpoint: config.url,
  projectId: config.projectId,
  auth: { token: config.token },
  store,
  batchSize: config.batchSize,
  retry: { minDelayMs: 5, maxDelayMs: 40, jitter: 0, maxAttempts: Infinity },
});
outbox.on('sent', (event) => say(`SENT ${event.record.id}`));
outbox.on('error', (event) => say(`PROBLEM ${event.error.message.replace(/\n/g, ' ')}`));

try {
  say(`OPENED ${(await outbox.pending()).length}`);
} catch (error) {
  say(`OPEN-FAILED ${error instanceof Error ? error.message : String(error)}`);
  process.exit(3);
}

outbox.start();
for (let index = config.from; index < config.to; ) {
  const size = Math.min(1 + Math.floor(random() * config.groupMax), config.to - index);
  const ids = Array.from({ length: size }, (_, offset) => `${config.prefix}${index + offset}`);
  index += size;
  for (const id of ids) say(`ENQ ${id}`);
  await outbox.enqueue(ids.map((id) => ({ id, account: `user-${id}`, mail_send_type: 'ADD_GROUP_AUTHORIZATION' })));
  for (const id of ids) say(`ACK ${id}`);
  await sleep(Math.floor(random() * 6));
}
const summary = await outbox.drain();
say(`DONE ${summary.pending}`);
await outbox.close();
await store.close();
process.exit(0);
