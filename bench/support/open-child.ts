// One round of the open/recover case, in a fresh process so that its peak RSS is its own.
// argv: <variant> <path>; prints one JSON line: { ms, entries, peakRssMb, rssBeforeMb, heapUsedMb }.
import { readFile } from 'node:fs/promises';
import { FileStore } from '../../src/store/FileStore.js';
import { createOutbox } from '../../src/node.js';
import { PROJECT_ID } from './fixtures.js';

const [variant, path] = process.argv.slice(2) as [string, string];
// Both variants have loaded the same modules before the clock starts.
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
let entries = 0;
let close = async () => {};
const start = performance.now();
if (variant === 'json') {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown[];
  entries = parsed.length;
} else if (variant === 'filestore') {
  const store = new FileStore({ dir: path });
  entries = (await store.load()).entries.length;
  close = () => store.close();
} else if (variant === 'outbox') {
  const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: PROJECT_ID, auth: { token: 'bench' }, dir: path });
  await outbox.dead(); // resolves once the outbox has loaded its store (and there are no dead entries to copy)
  close = async () => {
    entries = outbox.getSnapshot().counts.total;
    await outbox.close();
  };
} else {
  throw new Error(`unknown variant ${variant}`);
}
const ms = performance.now() - start;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
await close(); // untimed, and after the peak was read; releases the lock for the next round
console.log(JSON.stringify({ ms, entries, peakRssMb, rssBeforeMb: rssBefore / 2 ** 20, heapUsedMb }));
