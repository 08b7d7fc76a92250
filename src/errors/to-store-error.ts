import { isOutboxError } from './OutboxError.js';
import { StoreError } from './StoreError.js';

/** What a platform's error code means for a store, said in words a user can act on. */
const HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * The one converter of a store's failure into this library's error: an `OutboxError` (a
 * `StoreError` a store threw itself, an `OutboxClosedError`) stays as it is; anything else
 * becomes a `StoreError` for `operation` with the platform's message, a hint for the common
 * file-system codes and browser quota errors, and the original as `cause`.
 */
export function toStoreError(operation: string, error: unknown): Error {
  if (isOutboxError(error)) return error;
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'QuotaExceededError') {
    return new StoreError(operation, `the browser's storage quota for this site is exhausted (QuotaExceededError); nothing was written`, { cause: error });
  }
  const message = error instanceof Error ? error.message : describeThrown(error);
  const hint = typeof code === 'string' && HINTS[code] ? ` (${HINTS[code]})` : '';
  return new StoreError(operation, `${message}${hint}`, { cause: error });
}

/** A thrown non-Error (a DOMException-like object, a string) in a few words. */
function describeThrown(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === 'string' && message !== '') return typeof name === 'string' && name !== '' ? `${name}: ${message}` : message;
  }
  return String(error);
}
