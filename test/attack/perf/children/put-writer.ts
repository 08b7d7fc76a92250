// Child of "a killed writer leaves a journal that opens": opens a FileStore in `dir` and writes
// round `round`'s entries (see `writerEntry`) as fast as it can, several putMany calls in flight
// at once (group commits of big multi-byte lines), compacting often. Prints `OPENED <count>` once
// open, then `ACK <id>` for each entry whose putMany resolved. Runs until killed.
import { FileStore } from '../../../../src/node.js';
import { writerEntry } from '../writer-entries.js';

const [dir, roundText] = process.argv.slice(2) as [string, string];
const round = Number(roundText);
const say = (line: string) => process.stdout.write(`${line}\n`);

const store = new FileStore({ dir, compactSlack: 8 });
const { entries } = await store.load();
say(`OPENED ${entries.length}`);

let next = 0;
async function writer(): Promise<void> {
  for (;;) {
    const index = next++;
    const batch = [writerEntry(round, index, 0), writerEntry(round, index, 1)];
    await store.putMany(batch);
    for (const entry of batch) say(`ACK ${entry.record.id}`);
    // Deleting every third pair keeps compactions coming (the journal outgrows the live data).
    if (index % 3 === 2) await store.deleteMany(batch.map((entry) => entry.key));
  }
}
await Promise.all([writer(), writer(), writer()]);
