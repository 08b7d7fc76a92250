import { OutboxError, errorGuard } from './OutboxError.js';

/** The store could not read or write: disk full, quota exceeded, locked, closed, corrupt. */
export class StoreError extends OutboxError {
  override name = 'StoreError' as const;
  /** What was being done, e.g. `putMany` or `open`. */
  readonly operation: string;

  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super(`store ${operation} failed: ${message}`, options);
    this.operation = operation;
  }
}

export const isStoreError = /* @__PURE__ */ errorGuard<StoreError>('StoreError');
