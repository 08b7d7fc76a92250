import { OutboxError, errorGuard } from './OutboxError.js';

/** The outbox (or its store) was closed; nothing more can be enqueued or sent through it. */
export class OutboxClosedError extends OutboxError {
  override name = 'OutboxClosedError' as const;

  /**
   * @param what the call that was refused, e.g. `enqueue` or `FileStore.putMany`.
   * @param closed what is closed: the outbox, or a store that reports its own state.
   */
  constructor(what: string, closed: 'the outbox' | 'the store' = 'the outbox') {
    super(`${what}: ${closed} is closed`);
  }
}

export const isOutboxClosedError = /* @__PURE__ */ errorGuard<OutboxClosedError>('OutboxClosedError');
