// "enqueue() resolves only after the records are durable": when the store cannot write them,
// enqueue rejects with a StoreError and nothing is half-kept: not in pending(), not announced,
// not sent. Once the store recovers, the same ids can be enqueued again and are delivered.
import { describe, expect, it } from 'vitest';
import { isStoreError } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { FaultyStore } from '../helpers/faulty-store.js';
import { expectDeliveredOnce } from '../helpers/mock-requests.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { recordIdsOf } from '../helpers/store-entries.js';

const { startMock, open } = useOutboxes();

describe('enqueue when the store cannot write', () => {
  it('rejects with a StoreError that keeps the store’s reason', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    store.fail.add('putMany');
    const outbox = open(mock, { store });
    const error = await rejectionOf(outbox.enqueue(records('a', 'b')));
    expect(isStoreError(error)).toBe(true);
    expect((error as Error).message).toContain('disk full');
  });

  it('keeps nothing: no pending record, no stored entry, no event, no request', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    store.fail.add('putMany');
    const outbox = open(mock, { store });
    const events = recordEvents(outbox);
    outbox.start();
    await rejectionOf(outbox.enqueue(records('a', 'b', 'c')));
    await sleep(50);
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.dead()).toEqual([]);
    store.fail.clear();
    expect((await store.load()).entries).toEqual([]);
    expect(events.of('enqueued')).toEqual([]);
    expect(events.of('sending')).toEqual([]);
    expect(mock.requests).toHaveLength(0);
  });

  it('once the store recovers, the same ids are added anew (not coalesced) and delivered', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    store.fail.add('putMany');
    const outbox = open(mock, { store });
    await rejectionOf(outbox.enqueue(records('a', 'b')));
    store.fail.clear();
    const result = await outbox.enqueue(records('a', 'b'));
    expect(result.added.map((record) => record.id)).toEqual(['a', 'b']);
    expect(result.coalesced).toEqual([]);
    expect(recordIdsOf(await outbox.pending())).toEqual(['a', 'b']);
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, ['a', 'b']);
    expect((await store.load()).entries).toEqual([]);
  });

  it('a concurrent enqueue of the same id, coalesced while the write was under way, rejects too', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    const outbox = open(mock, { store });
    await outbox.pending(); // loaded
    store.delayMs = 50;
    store.fail.add('putMany');
    const events = recordEvents(outbox);
    const first = outbox.enqueue(records('a'));
    const second = outbox.enqueue(records('a'));
    expect(isStoreError(await rejectionOf(first))).toBe(true);
    expect(isStoreError(await rejectionOf(second))).toBe(true);
    expect(await outbox.pending()).toEqual([]);
    expect(events.of('enqueued')).toEqual([]);
  });

  it('a dead-lettered record that could not be replaced stays dead-lettered, as it was', async () => {
    const mock = await startMock({ poisonIds: ['bad'] });
    const store = new FaultyStore();
    const outbox = open(mock, { store });
    await outbox.enqueue(records('bad'));
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
    const [deadBefore] = await outbox.dead();
    expect(deadBefore).toMatchObject({ state: 'dead', deadReason: 'rejected' });

    store.fail.add('putMany');
    expect(isStoreError(await rejectionOf(outbox.enqueue(records('bad'))))).toBe(true);
    expect(await outbox.pending()).toEqual([]);
    expect(await outbox.dead()).toEqual([deadBefore]);
    store.fail.clear();
    expect((await store.load()).entries).toEqual([deadBefore]);
  });
});
