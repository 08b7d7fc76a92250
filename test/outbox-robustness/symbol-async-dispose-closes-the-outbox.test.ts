// `await using outbox = createOutbox(...)` closes the outbox at the end of the block, exactly as
// close() does: the request in flight finishes, and the outbox refuses work afterwards.
import { describe, expect, it } from 'vitest';
import { isOutboxClosedError, MemoryStore, type Outbox } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { nextEvent } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

describe('Symbol.asyncDispose', () => {
  it('`await using` closes the outbox when the block ends', async () => {
    const mock = await startMock();
    let escaped: Outbox | undefined;
    {
      await using outbox = open(mock);
      escaped = outbox;
      await outbox.enqueue(records('a'));
    }
    expect(isOutboxClosedError(await rejectionOf(escaped.enqueue(records('b'))))).toBe(true);
  });

  it('`await using` waits for the request in flight, like close()', async () => {
    const mock = await startMock({ faults: [{ delayMs: 300 }] });
    const store = new MemoryStore();
    {
      await using outbox = open(mock, { store });
      outbox.start();
      await outbox.enqueue(records('a'));
      await nextEvent(outbox, 'sending');
    }
    expect(mock.deliveredIds()).toEqual(['a']);
    expect((await store.load()).entries).toEqual([]);
  });

  it('outbox[Symbol.asyncDispose]() is close(): the same promise', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const disposing = outbox[Symbol.asyncDispose]();
    expect(outbox.close()).toBe(disposing);
    await disposing;
    expect(isOutboxClosedError(await rejectionOf(outbox.drain()))).toBe(true);
  });
});
