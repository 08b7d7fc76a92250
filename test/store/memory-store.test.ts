// MemoryStore keeps the QueueStore contract. It does not survive close (no reopen), so the
// durability promises are skipped for it.
import { MemoryStore } from '../../src/index.js';
import { describeQueueStoreConformance } from './conformance.js';

describeQueueStoreConformance('MemoryStore', async () => ({ store: new MemoryStore() }));
