// After close() (from the moment it is called), every method that would store or send throws or
// rejects with an OutboxClosedError whose message names the method and says the outbox is closed.
import { describe, expect, it } from 'vitest';
import { isOutboxClosedError, type Outbox } from '../../src/index.js';
import { rejectionOf, thrownBy } from '../helpers/caught.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

const ASYNC_METHODS: ReadonlyArray<readonly [string, (outbox: Outbox) => Promise<unknown>]> = [
  ['enqueue', (outbox) => outbox.enqueue(records('late'))],
  ['drain', (outbox) => outbox.drain()],
  ['flush', (outbox) => outbox.flush()],
  ['requeue', (outbox) => outbox.requeue()],
  ['purge', (outbox) => outbox.purge()],
];

function expectClosedError(error: unknown, method: string): void {
  expect(isOutboxClosedError(error), String(error)).toBe(true);
  expect((error as Error).message).toMatch(new RegExp(`^${method}\\b.*\\bclosed\\b`));
}

describe('a closed outbox', () => {
  it.each(ASYNC_METHODS)('%s() rejects with an OutboxClosedError', async (method, call) => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.close();
    expectClosedError(await rejectionOf(call(outbox)), method);
  });

  it('start() throws an OutboxClosedError', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.close();
    expectClosedError(thrownBy(() => outbox.start()), 'start');
  });

  it.each(ASYNC_METHODS)('%s() is refused as soon as close() is called, before it resolves', async (method, call) => {
    const mock = await startMock();
    const outbox = open(mock);
    const closing = outbox.close();
    expectClosedError(await rejectionOf(call(outbox)), method);
    await closing;
  });

  it('refuses a late enqueue even when its records are invalid (closed is the first thing said)', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.close();
    expectClosedError(await rejectionOf(outbox.enqueue([{ id: '' }])), 'enqueue');
  });

  it('close() again resolves; stop() resolves; nothing was sent', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.close();
    await expect(outbox.close()).resolves.toBeUndefined();
    await expect(outbox.stop()).resolves.toBeUndefined();
    expect(mock.requests).toHaveLength(0);
  });
});
