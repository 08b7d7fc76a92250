// Attack on "a second store in the same process says it is already open here" (CHANGELOG), and
// that it can open once the first has closed.
import { describe, expect, it } from 'vitest';
import { FileStore, createOutbox } from '../../../src/node.js';
import { rejectionOf } from '../../helpers/caught.js';
import { useMocks } from '../../helpers/mock-service.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const startMock = useMocks();

describe('a second store on the same directory in this process', () => {
  it('is refused as already open in this process, then opens after the first closes', async () => {
    const dir = await tempDir('same-process');
    const first = new FileStore({ dir });
    await first.load();
    const second = new FileStore({ dir });
    const error = await rejectionOf(second.load());
    expect(error.name).toBe('StoreLockedError');
    expect(error.sameProcess).toBe(true);
    expect(error.message).toContain('already open in this process');
    await second.close();
    await first.close();
    const third = new FileStore({ dir });
    await expect(third.load()).resolves.toMatchObject({ entries: [] });
    await third.close();
  });

  it('an outbox beside an open outbox is refused the same way; stats() answers and copies', async () => {
    const mock = await startMock();
    const dir = await tempDir('same-process');
    const options = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir, concurrency: 4, batchSize: 1, retry: { minDelayMs: 10, jitter: 0 } };
    const first = createOutbox(options);
    await first.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const second = createOutbox(options);
    const error = await rejectionOf(second.pending());
    expect(error.message).toContain('already open in this process');
    await second.close().catch(() => undefined);
    await first.drain();
    const stats = first.stats();
    expect(stats).toMatchObject({ pending: 0, inFlight: 0, dead: 0, requests: 3, answers: { '2xx': 3 }, oldestPendingAgeMs: undefined });
    stats.answers['2xx'] = 99;
    expect(first.stats().answers['2xx']).toBe(3);
    await first.close();
    const third = createOutbox(options);
    expect(await third.pending()).toEqual([]);
    await third.close();
  });
});
