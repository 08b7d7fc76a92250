// Child for processes.test.ts: an outbox over a FileStore that enqueues one record at a time and
// prints `ACK <id>` once each enqueue resolved, while sending in the background, until killed.
import { createOutbox } from '../../../src/node.js';
import { sleep } from '../../helpers/sleep.js';

const [dir, url, projectId, token, prefix] = process.argv.slice(2) as [string, string, string, string, string];
try {
  const outbox = createOutbox({ endpoint: url, projectId, auth: { token }, dir, batchSize: 10, retry: { minDelayMs: 5, maxDelayMs: 20 } });
  outbox.on('error', () => undefined);
  await outbox.pending();
  console.log('OPEN');
  outbox.start();
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    await outbox.enqueue({ id, account: `u${i}@example.com` });
    console.log(`ACK ${id}`);
    if (i % 5 === 0) await sleep(2);
  }
} catch (error) {
  console.log(`FAILED ${(error as Error).name}`);
  process.exit(7);
}
