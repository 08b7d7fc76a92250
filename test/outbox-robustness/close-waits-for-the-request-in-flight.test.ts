// close() lets the request in flight finish and records its outcome before it resolves: a
// delivered batch leaves the store (so it is never sent again), a failed one stays with its
// attempt counted. No new request starts once close() was called.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';

const { startMock, open } = useOutboxes();

const IN_FLIGHT_MS = 500;

describe('close() while a request is in flight', () => {
  it('waits for it: the batch is delivered, announced and removed from the store before close resolves', async () => {
    const mock = await startMock({ faults: [{ delayMs: IN_FLIGHT_MS }] });
    const store = new MemoryStore();
    const outbox = open(mock, { store });
    const events = recordEvents(outbox);
    outbox.start();
    await outbox.enqueue(records('a', 'b'));
    await nextEvent(outbox, 'sending');

    const startedAt = Date.now();
    await outbox.close();
    expect(Date.now() - startedAt).toBeGreaterThan(IN_FLIGHT_MS - 200);

    expect(mock.deliveredIds()).toEqual(['a', 'b']);
    expect(events.of('sent').map((event) => event.record.id)).toEqual(['a', 'b']);
    expect((await store.load()).entries).toEqual([]);
    expect(await outbox.pending()).toEqual([]);
  });

  it('starts no other request; a new outbox over the store resends only what was not delivered', async () => {
    const mock = await startMock({ latencyMs: 200 });
    const store = new MemoryStore();
    const outbox = open(mock, { store, batchSize: 2 });
    outbox.start();
    await outbox.enqueue(records('a', 'b', 'c', 'd'));
    await nextEvent(outbox, 'sending');
    await outbox.close();
    await sleep(300);
    expect(mock.requests).toHaveLength(1);
    expect(mock.deliveredIds()).toEqual(['a', 'b']);

    const second = open(mock, { store });
    expect((await second.pending()).map((entry) => entry.record.id)).toEqual(['c', 'd']);
    expect(await second.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a request that fails while closing leaves its records pending, attempt counted, error kept', async () => {
    const mock = await startMock({ faults: [{ status: 500, delayMs: IN_FLIGHT_MS }] });
    const store = new MemoryStore();
    const outbox = open(mock, { store });
    outbox.start();
    await outbox.enqueue(records('a'));
    await nextEvent(outbox, 'sending');
    await outbox.close();
    expect(mock.requests).toHaveLength(1);

    const [entry, ...others] = (await store.load()).entries;
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, lastError: { status: 500 } });
  });
});
