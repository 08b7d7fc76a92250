// FileStore keeps the QueueStore contract, durability included: `reopen` closes nothing itself
// (the suite closes the first store) and opens a new FileStore over the same directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../src/node.js';
import { describeQueueStoreConformance } from '../store/conformance.js';

describeQueueStoreConformance('FileStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wks-file-store-conformance-'));
  return {
    store: new FileStore({ dir }),
    reopen: async () => new FileStore({ dir }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
