/** Marks this library's errors; `Symbol.for` so it is recognised across realms and bundles. */
const OUTBOX_ERROR = Symbol.for('wks-mail-outbox/error');

/**
 * Base class of every error this library throws on purpose. Subclasses carry a literal `name`,
 * so the `is…Error()` guards work across realms (iframes, workers, duplicated bundles) by
 * matching on `name` rather than on `instanceof`.
 */
export class OutboxError extends Error {
  override name: string = 'OutboxError';
  /** Whether sending the same request again later may succeed. */
  readonly retryable: boolean = false;
  readonly [OUTBOX_ERROR] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Plain data for logs and events: never the cause or the stack. */
  toJSON(): Record<string, unknown> {
    // String keys only: the realm-proof mark stays on real errors, not on their JSON.
    const facts = Object.entries(this).filter(([key]) => key !== 'cause' && key !== 'stack');
    return { ...Object.fromEntries(facts), name: this.name, message: this.message };
  }
}

/** True for any error thrown by this library, also across realms. */
export function isOutboxError(error: unknown): error is OutboxError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[OUTBOX_ERROR] === true;
}

/** Builds a guard that recognises one error class by its literal name (works across realms). */
export function errorGuard<T extends OutboxError>(name: T['name']): (error: unknown) => error is T {
  return (error: unknown): error is T => isOutboxError(error) && error.name === name;
}
