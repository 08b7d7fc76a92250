import { OutboxError, errorGuard } from './OutboxError.js';

/** The outbox (or its store) was closed; nothing more can be enqueued or sent through it. */
export class OutboxClosedError extends OutboxError {
  override name = 'OutboxClosedError' as const;

  constructor(what: string) {
    super(`${what}: the outbox is closed`);
  }
}

export const isOutboxClosedError = /* @__PURE__ */ errorGuard<OutboxClosedError>('OutboxClosedError');
