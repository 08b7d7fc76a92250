// createOutbox of the isomorphic core: the queue lives in memory unless `options.store` is given.
import { createEngine, type Outbox } from './outbox/outbox.js';
import type { OutboxOptions } from './outbox/options.js';
import { MemoryStore } from './store/MemoryStore.js';

/**
 * Creates an outbox: records are validated and stored before `enqueue()` resolves, then sent in
 * batches, retried with backoff that honours `Retry-After`, and reported through events.
 * @throws TypeError naming the first bad option.
 * @example
 * const outbox = createOutbox({ endpoint, projectId, auth: { token: () => getToken() } });
 * outbox.on('sent', (e) => console.log(e.record.id));
 * await outbox.enqueue(records);
 * const { sent, failed, pending } = await outbox.drain();
 */
export function createOutbox(options: OutboxOptions): Outbox {
  return createEngine(options, { makeStore: () => new MemoryStore() });
}
