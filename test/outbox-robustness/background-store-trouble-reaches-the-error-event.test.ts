// Trouble a store meets with no call waiting for it (a background compaction that failed) is
// not swallowed: the outbox hands the store an onProblem function that emits its `error` event.
import { expect, it } from 'vitest';
import { createOutbox, MemoryStore, type QueueStore } from '../../src/index.js';

class StoreWithBackgroundWork extends MemoryStore implements QueueStore {
  onProblem: ((problem: string) => void) | undefined = undefined;
}

it('a problem the store reports on its own becomes an error event (during: store), naming what failed', async () => {
  const store = new StoreWithBackgroundWork();
  const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'unused' }, store });
  const errors: { message: string; during: string }[] = [];
  outbox.on('error', (event) => errors.push({ message: event.error.message, during: event.during }));

  expect(store.onProblem, 'the outbox gave the store a way to report').toBeTypeOf('function');
  store.onProblem?.('compacting journal.jsonl failed: ENOSPC (disk full)');

  expect(errors).toEqual([{ message: 'store write failed: compacting journal.jsonl failed: ENOSPC (disk full)', during: 'store' }]);
  await outbox.close();
});

it('a store without onProblem is left as it is', async () => {
  const store = new MemoryStore();
  const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 'unused' }, store });
  expect('onProblem' in store).toBe(false);
  await outbox.close();
});
