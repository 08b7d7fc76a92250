// Run by `node --import tsx --test` (from runs-under-node-test.test.ts): the conformance suite
// under node:test's own describe/it, against MemoryStore, or against a broken store named by
// the BROKEN_STORE environment variable.
import { describe, it } from 'node:test';
import { MemoryStore } from '../../src/index.js';
import { describeQueueStoreConformance } from '../../src/testing.js';
import { brokenStores } from './broken-stores.js';

const broken = process.env.BROKEN_STORE;
const make = broken ? brokenStores[broken] : () => new MemoryStore();
if (!make) throw new Error(`unknown BROKEN_STORE ${broken}`);

describeQueueStoreConformance(broken ?? 'MemoryStore', async () => ({ store: make() }), { describe, it });
