// Events: `on()` returns the function that unsubscribes (and it stops delivery at once, for that
// subscription only), and a listener that throws harms no other listener. That the event map
// checks listeners at compile time is in test/types/public-api.test.ts.
import { describe, expect, it } from 'vitest';
import type { OutboxEvents } from '../../src/index.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

describe('on()', () => {
  const { startMock, open } = useOutboxes();

  it('returns an unsubscribe function that stops delivery to that listener', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 1 });
    const seen: string[] = [];
    const off = outbox.on('sent', ({ record }) => {
      seen.push(record.id);
      if (seen.length === 2) off();
    });
    await outbox.enqueue(makeRecords(5));

    expect(await outbox.drain()).toEqual({ sent: 5, failed: 0, pending: 0 });
    expect(seen).toEqual(['r0', 'r1']);
  });

  it('unsubscribes only its own subscription, also when the same function was subscribed twice', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const calls: string[] = [];
    const listener = (event: OutboxEvents['enqueued']) => void calls.push(event.record.id);
    const offFirst = outbox.on('enqueued', listener);
    outbox.on('enqueued', listener);
    const offOther = outbox.on('enqueued', () => void calls.push('other'));

    offFirst();
    offOther();
    offOther(); // twice is harmless
    await outbox.enqueue({ id: 'a' });

    expect(calls).toEqual(['a']);
  });

  it('keeps delivering to other listeners, and reports through `error`, when a listener throws', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const errors: Array<OutboxEvents['error']> = [];
    outbox.on('error', (event) => void errors.push(event));
    outbox.on('sent', () => {
      throw new Error('listener bug');
    });
    const sent: string[] = [];
    outbox.on('sent', ({ record }) => void sent.push(record.id));
    await outbox.enqueue(makeRecords(2));

    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(sent).toEqual(['r0', 'r1']);
    expect(errors.map((event) => event.during)).toEqual(['listener', 'listener']);
    expect(errors[0]?.error.message).toContain('listener bug');
  });
});
