// A re-read that fails because its outbox is closing (a fleet worker's poll or a notification at
// shutdown: its store answers "closed") is no store trouble: no `error` for it. The same failure
// while the outbox runs is reported.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { Queue } from '../../src/outbox/queue.js';

/** A MemoryStore whose re-reads wait for the test, then fail. */
class SlowFailingStore extends MemoryStore {
  reads = 0;
  fail: (() => void) | undefined;
  override async load(): ReturnType<MemoryStore['load']> {
    if (this.reads++ === 0) return super.load();
    await new Promise<void>((resolve) => (this.fail = resolve));
    throw new Error('the store is closed');
  }
}

function queueOver(store: SlowFailingStore) {
  const reported: string[] = [];
  let closing = false;
  const queue = new Queue({
    store,
    report: (error) => reported.push(error.message),
    isClosing: () => closing,
  });
  return { queue, reported, close: () => (closing = true) };
}

describe('a re-read under way when the outbox closes', () => {
  it('fails without an error event', async () => {
    const store = new SlowFailingStore();
    const { queue, reported, close } = queueOver(store);
    await queue.ready;
    const reading = queue.sync();
    await until(() => store.fail !== undefined);
    close();
    store.fail!();
    await reading;
    expect(reported).toEqual([]);
  });

  it('is reported when the outbox is not closing', async () => {
    const store = new SlowFailingStore();
    const { queue, reported } = queueOver(store);
    await queue.ready;
    const reading = queue.sync();
    await until(() => store.fail !== undefined);
    store.fail!();
    await reading;
    expect(reported).toEqual([expect.stringContaining('the store is closed')]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
