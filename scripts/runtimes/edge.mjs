// Runs inside Vercel's edge-runtime (bundled by esbuild for the browser platform, so a `node:`
// import anywhere in the core fails the bundle): the core entry with a MemoryStore, the edge
// runtime's own fetch to the mock on 127.0.0.1, with a token and with AK/SK (Web Crypto signing). The host sets `globalThis.SMOKE_MOCK` first and
// reads `globalThis.SMOKE_RESULT` (a promise) after.
import { createOutbox, MemoryStore } from 'wks-mail-outbox';
import { drainRecords, mockOptions } from './drain-records.mjs';

const mock = globalThis.SMOKE_MOCK;
globalThis.SMOKE_RESULT = (async () => ({
  core: await drainRecords(createOutbox, { ...mockOptions(mock), store: new MemoryStore() }, 'edge-core', mock.count),
  aksk: await drainRecords(createOutbox, { ...mockOptions(mock, 'aksk'), store: new MemoryStore() }, 'edge-aksk', mock.count),
}))();
