// A listener is the caller's code: when it throws, the outbox carries on delivering, and the
// fault is reported through an `error` event (during 'listener') that names the event. A
// throwing `error` listener is dropped, not reported again (no loop).
import { describe, expect, it } from 'vitest';
import type { OutboxEvents } from '../../src/index.js';
import { expectDeliveredOnce } from '../helpers/mock-requests.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

describe('a listener that throws', () => {
  it('on enqueued, retrying and sent does not stop delivery; each throw is reported once', async () => {
    const mock = await startMock({ faults: [{ status: 503 }] });
    const outbox = open(mock);
    const errors: Array<OutboxEvents['error']> = [];
    outbox.on('error', (event) => errors.push(event));
    for (const name of ['enqueued', 'retrying', 'sent'] as const) {
      outbox.on(name, () => {
        throw new Error(`boom in ${name}`);
      });
    }

    const result = await outbox.enqueue(records('a', 'b'));
    expect(result.added).toHaveLength(2);
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, ['a', 'b']);
    expect(await outbox.pending()).toEqual([]);

    expect(errors.every((event) => event.during === 'listener')).toBe(true);
    const messages = errors.map((event) => event.error.message);
    for (const name of ['enqueued', 'retrying', 'sent']) {
      expect(messages.filter((message) => message.includes(`"${name}"`) && message.includes(`boom in ${name}`))).toHaveLength(2);
    }
    expect(errors).toHaveLength(6);
  });

  it('does not keep the other listeners of the same event from being called', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const seen: string[] = [];
    outbox.on('sent', () => {
      throw new Error('first listener fails');
    });
    outbox.on('sent', (event) => seen.push(event.record.id));
    await outbox.enqueue(records('a', 'b', 'c'));
    await outbox.drain();
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('that throws something other than an Error is reported too', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const errors: Array<OutboxEvents['error']> = [];
    outbox.on('error', (event) => errors.push(event));
    outbox.on('sent', () => {
      throw 'a bare string';
    });
    await outbox.enqueue(records('a'));
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ during: 'listener' });
    expect(errors[0]?.error.message).toContain('a bare string');
  });

  it('on error is dropped: no loop, other error listeners still hear every fault, delivery goes on', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    let throwingErrorListenerCalls = 0;
    const heard: Array<OutboxEvents['error']> = [];
    outbox.on('error', () => {
      throwingErrorListenerCalls++;
      throw new Error('the error listener fails as well');
    });
    outbox.on('error', (event) => heard.push(event));
    outbox.on('sent', () => {
      throw new Error('boom in sent');
    });
    await outbox.enqueue(records('a', 'b'));
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, ['a', 'b']);
    expect(throwingErrorListenerCalls).toBe(2);
    expect(heard).toHaveLength(2);
    expect(heard.every((event) => event.during === 'listener' && event.error.message.includes('boom in sent'))).toBe(true);
  });
});
