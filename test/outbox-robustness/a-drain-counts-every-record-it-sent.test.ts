// drain() resolves `{ sent, failed, pending }` counted over this drain. With two requests at once
// and a FileStore, a drain of 10,000 records reported 9,900 sent (found while profiling: every
// record had reached the service once, and nothing was pending).
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/node.js';
import { makeRecords } from '../helpers/records.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { within } from '../helpers/within.js';

const startMock = useMocks();
const tempDir = useTempDirs();

describe('a drain with two requests at once over a FileStore', () => {
  it.each([1, 2, 4])('counts every record it sent (concurrency %i)', async (concurrency) => {
    const mock = await startMock();
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir: await tempDir('drain-count'), batchSize: 100, concurrency });
    const sent: string[] = [];
    outbox.on('sent', ({ record }) => void sent.push(record.id));
    try {
      for (let chunk = 0; chunk < 10; chunk++) await outbox.enqueue(makeRecords(300, `c${chunk}-`));
      const summary = await within(outbox.drain(), 'the drain', 30_000);
      expect(new Set(mock.deliveredIds()).size).toBe(3000);
      expect(sent).toHaveLength(3000);
      expect(summary).toEqual({ sent: 3000, failed: 0, pending: 0 });
    } finally {
      await outbox.close();
    }
  });
});
