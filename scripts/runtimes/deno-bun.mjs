// Runs under Deno and Bun from a project that installed the packed tarball: the core entry
// (MemoryStore) and `wks-mail-outbox/node` (FileStore in a temp dir: enqueue, drain, close, then
// reopen and find nothing pending). Reads the mock from SMOKE_MOCK (JSON: url, projectId, token,
// count, dir, ak, sk) and prints one JSON line: { core: summary, aksk: summary (the core with AK/SK
// auth), node: summary & { pendingAfterReopen } }.
import { createOutbox as createCoreOutbox, MemoryStore } from 'wks-mail-outbox';
import { createOutbox as createNodeOutbox } from 'wks-mail-outbox/node';
import { drainRecords, mockOptions } from './drain-records.mjs';

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : globalThis.process.env[name]);
const mock = JSON.parse(env('SMOKE_MOCK'));
const options = mockOptions(mock);

const core = await drainRecords(createCoreOutbox, { ...options, store: new MemoryStore() }, 'core', mock.count);
// AK/SK: the first request loads the signer's chunk (a dynamic import of a file of the package).
const aksk = await drainRecords(createCoreOutbox, { ...mockOptions(mock, 'aksk'), store: new MemoryStore() }, 'aksk', mock.count);
const node = await drainRecords(createNodeOutbox, { ...options, dir: mock.dir }, 'node', mock.count);
const reopened = createNodeOutbox({ ...options, dir: mock.dir });
try {
  node.pendingAfterReopen = (await reopened.pending()).length;
} finally {
  await reopened.close();
}
console.log(JSON.stringify({ core, aksk, node }));
