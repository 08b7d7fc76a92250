// MemoryStore keeps the QueueStore contract, under vitest. It does not survive close (no
// reopen), so the durability promises are skipped for it.
import { describe, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { describeQueueStoreConformance } from '../../src/testing.js';

describeQueueStoreConformance('MemoryStore', async () => ({ store: new MemoryStore() }), { describe, it });
