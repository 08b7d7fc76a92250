// Child process: opens a FileStore over argv[2] (waiting up to argv[3] ms for its lock), says
// `LOCKED <pid>`, and holds it until a `close` line arrives on stdin (then `CLOSED`). When the
// store cannot be opened it prints `ERROR <json of the error>` and exits with code 2.
import { createInterface } from 'node:readline';
import { FileStore } from '../../../src/node.js';

const [dir, lockWaitMs = '0'] = process.argv.slice(2);
if (!dir) throw new Error('usage: hold-store.ts <dir> [lockWaitMs]');

const store = new FileStore({ dir, lockWaitMs: Number(lockWaitMs) });
try {
  await store.load();
} catch (error) {
  const { name, message, dir: lockedDir, pid } = error as { name: string; message: string; dir?: string; pid?: number };
  console.log(`ERROR ${JSON.stringify({ name, message, dir: lockedDir, pid })}`);
  process.exit(2);
}
console.log(`LOCKED ${process.pid}`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'close') {
    await store.close();
    console.log('CLOSED');
    process.exit(0);
  }
}
