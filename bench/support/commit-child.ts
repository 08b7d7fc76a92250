// One variant of the commit-syscalls case, run under `strace -c -f`: opens a store in `dir`,
// then makes `calls` sequential single-record commits. argv: <variant> <dir> <calls>.
import { FileStore } from '../../src/store/FileStore.js';
import { makeEntries, makeRecords } from './fixtures.js';
import { SqliteStore } from './sqlite-store.js';
import { RawAppendLog } from './raw-append.js';

const [variant, dir, count] = process.argv.slice(2) as [string, string, string];
const calls = Number(count);
const store = variant === 'filestore' ? new FileStore({ dir }) : variant === 'sqlite' ? new SqliteStore(dir) : new RawAppendLog(dir);
if ('load' in store) await store.load();
const entries = makeEntries(makeRecords(calls + 1, 'c'), 1);
await store.putMany(entries.slice(0, 1)); // opened and warm before the counted calls
process.stdout.write('ready\n');
for (let index = 1; index <= calls; index++) await store.putMany(entries.slice(index, index + 1));
await store.close();
