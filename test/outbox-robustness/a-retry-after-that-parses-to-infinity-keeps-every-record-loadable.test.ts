// `Retry-After: 1` followed by 400 zeros is a number too large for a double: it used to parse to
// Infinity, be kept in the entries' `lastError`, and (JSON writes Infinity as null) make every
// such entry unreadable after a reopen: acknowledged records gone. Every number the outbox
// writes must be finite, and a store must not accept what its own load would refuse.
import { expect, it } from 'vitest';
import { createOutbox, MemoryStore, type OutboxEventName, type OutboxEvents } from '../../src/index.js';
import { parseStoredEntry } from '../../src/store/entry.js';
import { useOutboxes } from '../helpers/outboxes.js';

const { startMock } = useOutboxes();

it('after 503s whose Retry-After overflows to Infinity, every record is still in the store, loadable, with its attempts and reason', async () => {
  const mock = await startMock({ faults: [{ status: 503, retryAfter: `1${'0'.repeat(400)}`, times: 10 }] });
  const store = new MemoryStore(); // options.store belongs to the caller: both outboxes use it
  const options = {
    endpoint: mock.url,
    projectId: mock.projectId,
    auth: { token: mock.token },
    store,
    retry: { minDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 50, jitter: 0, maxAttempts: 2 },
  };
  const first = createOutbox(options);
  const storeErrors: Array<OutboxEvents['error']> = [];
  first.on('error', (event) => storeErrors.push(event));
  const retrying: Array<OutboxEvents['retrying']> = [];
  first.on('retrying', (event) => retrying.push(event));
  await first.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  expect(await first.drain()).toEqual({ sent: 0, failed: 3, pending: 0 });
  await first.close();
  expect(storeErrors).toEqual([]);
  // The wait was capped, and what the events carry is finite too.
  expect(retrying.map((event) => event.delayMs)).toEqual([50, 50, 50]);
  for (const event of retrying) expect(Number.isFinite(event.error.retryAfterMs ?? 0)).toBe(true);

  const { entries, meta } = await store.load();
  for (const entry of entries) expect(parseStoredEntry(entry), JSON.stringify(entry)).toBeDefined();
  for (const value of Object.values(meta)) expect(Number.isFinite(value)).toBe(true);

  const second = createOutbox(options);
  const reported: OutboxEventName[] = [];
  second.on('error', () => reported.push('error'));
  const dead = await second.dead();
  await second.close();
  expect(reported).toEqual([]);
  expect(dead.map((entry) => [entry.record.id, entry.deadReason, entry.attempts])).toEqual([
    ['a', 'max-attempts', 2],
    ['b', 'max-attempts', 2],
    ['c', 'max-attempts', 2],
  ]);
});
