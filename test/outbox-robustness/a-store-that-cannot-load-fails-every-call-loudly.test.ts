// When the store cannot be read, the outbox does not pretend to be empty: an `error` event
// (during 'store') reports it, and every method that needs the queue rejects with a StoreError.
// Nothing is sent, and close() still resolves.
import { describe, expect, it } from 'vitest';
import { isStoreError, type Outbox, type OutboxEvents } from '../../src/index.js';
import { rejectionOf } from '../helpers/caught.js';
import { FaultyStore } from '../helpers/faulty-store.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';

const { startMock, open } = useOutboxes();

async function brokenOutbox() {
  const mock = await startMock();
  const store = new FaultyStore();
  store.fail.add('load');
  const outbox = open(mock, { store });
  const errors: Array<OutboxEvents['error']> = [];
  outbox.on('error', (event) => errors.push(event));
  return { mock, store, outbox, errors };
}

describe('an outbox whose store cannot load', () => {
  it('emits an error event during "store" that names the fault', async () => {
    const { outbox, errors } = await brokenOutbox();
    await rejectionOf(outbox.pending());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ during: 'store', error: { name: 'StoreError', retryable: false } });
    expect(errors[0]?.error.message).toContain('disk full');
  });

  it.each([
    ['enqueue', (o: Outbox) => o.enqueue(records('a'))],
    ['drain', (o: Outbox) => o.drain()],
    ['flush', (o: Outbox) => o.flush()],
    ['pending', (o: Outbox) => o.pending()],
    ['dead', (o: Outbox) => o.dead()],
    ['requeue', (o: Outbox) => o.requeue()],
    ['purge', (o: Outbox) => o.purge()],
  ] as const)('%s() rejects with a StoreError', async (_name, call) => {
    const { outbox } = await brokenOutbox();
    const error = await rejectionOf(call(outbox));
    expect(isStoreError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('load');
  });

  it('sends nothing, even when started and given records', async () => {
    const { mock, store, outbox } = await brokenOutbox();
    outbox.start();
    await rejectionOf(outbox.enqueue(records('a')));
    await sleep(50);
    expect(mock.requests).toHaveLength(0);
    expect(store.calls.putMany).toBe(0);
  });

  it('a store whose load() throws synchronously (not a rejection) is reported the same way, to a listener subscribed right after createOutbox', async () => {
    const mock = await startMock();
    const store = new FaultyStore();
    store.load = () => {
      throw new Error('simulated synchronous load fault');
    };
    const outbox = open(mock, { store });
    const errors: Array<OutboxEvents['error']> = [];
    outbox.on('error', (event) => errors.push(event));
    expect(isStoreError(await rejectionOf(outbox.pending()))).toBe(true);
    expect(errors).toMatchObject([{ during: 'store', error: { name: 'StoreError' } }]);
  });

  it('close() still resolves', async () => {
    const { outbox } = await brokenOutbox();
    outbox.start();
    await rejectionOf(outbox.pending());
    await expect(outbox.close()).resolves.toBeUndefined();
  });
});
