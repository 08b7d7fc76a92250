// Issue 15, item 7: a second FileStore (or Node outbox) on a directory this process already has
// open used to say "locked by process <our own pid>; stop it": advice to kill yourself. It now
// says the store is already open in this process, and marks the error `sameProcess`.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, FileStore, isStoreLockedError, type Outbox } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const startMock = useMocks();
const opened: Array<FileStore | Outbox> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((it) => it.close().catch(() => undefined)));
});

function storeIn(dir: string): FileStore {
  const store = new FileStore({ dir });
  opened.push(store);
  return store;
}

/** What a caller should see: this process named as the holder, and no advice to stop a process. */
function expectSameProcessRefusal(error: Record<string, unknown> & Error, dir: string): void {
  expect(isStoreLockedError(error), String(error)).toBe(true);
  expect(error).toMatchObject({ name: 'StoreLockedError', dir, pid: process.pid, sameProcess: true });
  expect(error.message).toContain(dir);
  expect(error.message).toContain('already open in this process');
  expect(error.message).not.toContain('stop it');
  expect(error.message).not.toContain(`process ${process.pid}`);
}

describe('a directory already open in this process', () => {
  it('a second FileStore is refused with "already open in this process", not "locked by process <own pid>"', async () => {
    const dir = await tempDir('same-process-store');
    await storeIn(dir).load();

    expectSameProcessRefusal(await rejectionOf(storeIn(dir).load()), dir);
  });

  it('a second Node outbox on the same directory says the same when it first touches the store', async () => {
    const dir = await tempDir('same-process-outbox');
    const mock = await startMock();
    const open = () => {
      const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir });
      opened.push(outbox);
      return outbox;
    };
    await open().enqueue({ id: 'first' });

    expectSameProcessRefusal(await rejectionOf(open().enqueue({ id: 'second' })), dir);
  });

  it('once the first store is closed, the directory opens again in this process', async () => {
    const dir = await tempDir('same-process-reopen');
    const first = storeIn(dir);
    await first.load();
    await first.close();

    await expect(storeIn(dir).load()).resolves.toBeDefined();
  });
});
