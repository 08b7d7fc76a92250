// `options.signal`: aborting it closes the outbox, as close() does: work is refused from then
// on, the request in flight finishes and is recorded, a backoff wait ends at once.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isOutboxClosedError, MemoryStore } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { nextEvent } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

describe('aborting options.signal', () => {
  it('closes the outbox: enqueue and drain reject with an OutboxClosedError', async () => {
    const mock = await startMock();
    const controller = new AbortController();
    const outbox = open(mock, { signal: controller.signal });
    await outbox.enqueue(records('a'));
    controller.abort();
    expect(isOutboxClosedError(await rejectionOf(outbox.enqueue(records('b'))))).toBe(true);
    expect(isOutboxClosedError(await rejectionOf(outbox.drain()))).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it('a signal aborted before createOutbox gives an outbox that is closed from the start', async () => {
    const mock = await startMock();
    const outbox = open(mock, { signal: AbortSignal.abort() });
    expect(isOutboxClosedError(await rejectionOf(outbox.enqueue(records('a'))))).toBe(true);
    await expect(outbox.close()).resolves.toBeUndefined();
  });

  it('waits for the request in flight, as close() does: delivered once, removed from the store', async () => {
    const mock = await startMock({ faults: [{ delayMs: 300 }] });
    const store = new MemoryStore();
    const controller = new AbortController();
    const outbox = open(mock, { store, signal: controller.signal });
    const sent: string[] = [];
    outbox.on('sent', (event) => sent.push(event.record.id));
    outbox.start();
    await outbox.enqueue(records('a', 'b'));
    await nextEvent(outbox, 'sending');
    controller.abort();
    await outbox.close(); // the close the abort started
    expect(sent).toEqual(['a', 'b']);
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
    expect((await store.load()).entries).toEqual([]);
  });

  it('ends a backoff wait at once and keeps the records', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 30 }] });
    const store = new MemoryStore();
    const controller = new AbortController();
    const outbox = open(mock, { store, signal: controller.signal });
    await outbox.enqueue(records('a'));
    const retrying = nextEvent(outbox, 'retrying');
    const drained = outbox.drain();
    await retrying;
    const startedAt = Date.now();
    controller.abort();
    expect(await drained).toEqual({ sent: 0, failed: 0, pending: 1 });
    await outbox.close();
    // Far below the 30 s wait (a busy machine may add seconds, not half a minute).
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect((await store.load()).entries).toMatchObject([{ record: { id: 'a' }, state: 'pending', attempts: 1 }]);
  });

  it('close() lets go of the signal: a long-lived signal does not keep closed outboxes alive', async () => {
    const mock = await startMock();
    const controller = new AbortController();
    const before = getEventListeners(controller.signal, 'abort').length;
    for (let index = 0; index < 3; index++) {
      const outbox = open(mock, { signal: controller.signal });
      await outbox.close();
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(before);
  });
});
