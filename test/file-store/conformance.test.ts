// FileStore keeps the QueueStore contract, durability included: `reopen` closes nothing itself
// (the suite closes the first store) and opens a new FileStore over the same directory.
import { describe, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { describeQueueStoreConformance } from '../../src/testing.js';

// Removed after each test, once the suite's own after-hook has closed the stores.
const tempDir = useTempDirs();

describeQueueStoreConformance('FileStore', async () => {
  const dir = await tempDir('conformance');
  return {
    store: new FileStore({ dir }),
    reopen: async () => new FileStore({ dir }),
  };
}, { describe, it });
