// Ownership: a store passed in through `options.store` belongs to the caller, so close() leaves
// it open and a second outbox can reuse it; a store the outbox created itself is closed by it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { FaultyStore } from '../helpers/faulty-store.js';
import { expectDeliveredOnce } from '../helpers/mock-requests.js';
import { nextEvent } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('close() and the store', () => {
  it('does not close a store passed in through options.store', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    const outbox = open(mock, { store });
    await outbox.enqueue(records('a'));
    await outbox.close();
    expect(store.calls.close).toBe(0);
    await expect(store.load()).resolves.toMatchObject({ entries: [{ record: { id: 'a' } }] });
  });

  it('a second outbox reuses the caller’s store and delivers what the first left', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    const first = open(mock, { store });
    await first.enqueue(records('a', 'b'));
    await first.close();

    const second = open(mock, { store });
    expect((await second.pending()).map((entry) => entry.record.id)).toEqual(['a', 'b']);
    expect(await second.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, ['a', 'b']);
    await second.close();
    expect(await store.load()).toMatchObject({ entries: [] });
  });

  it('closes the store it created itself (and only once, however often close() is called)', async () => {
    const closeSpy = vi.spyOn(MemoryStore.prototype, 'close');
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue(records('a'));
    expect(closeSpy).not.toHaveBeenCalled();
    await Promise.all([outbox.close(), outbox.close()]);
    await outbox.close();
    expect(closeSpy).toHaveBeenCalledTimes(1);
  });

  it('closes its own store only after the request in flight has finished and been recorded', async () => {
    const order: string[] = [];
    const realClose = MemoryStore.prototype.close;
    vi.spyOn(MemoryStore.prototype, 'close').mockImplementation(function (this: MemoryStore) {
      order.push('store closed');
      return realClose.call(this);
    });
    const mock = await startMock({ faults: [{ delayMs: 200 }] });
    const outbox = open(mock);
    outbox.on('sent', () => order.push('sent'));
    outbox.start();
    await outbox.enqueue(records('a'));
    await nextEvent(outbox, 'sending');
    await outbox.close();
    expect(order).toEqual(['sent', 'store closed']);
  });
});
