// What a store takes from an entry it is asked to write: the fields the schema reads, each read
// once, into plain objects. Unknown fields (which could hold anything), a `toJSON`, or a getter
// that gives the check one value and the writer another never reach what is stored.
import { fieldsCopy, isCopied } from '../api/fields-copy.js';
import { RECORD_FIELDS } from '../api/plain-record.js';
import { StoreError } from '../errors/StoreError.js';
import { parseStorable, type OutboxEntry } from './entry.js';

export const ENTRY_FIELDS: ReadonlySet<string> = new Set(['key', 'record', 'projectId', 'language', 'seq', 'enqueuedAt', 'attempts', 'nextAttemptAt', 'state', 'deadReason', 'lastError']);
export const ERROR_FIELDS: ReadonlySet<string> = new Set(['name', 'message', 'retryable', 'kind', 'status', 'errorCode', 'errorMsg', 'requestId', 'retryAfterMs']);

/** An entry's fields, and its record's and last error's, as `fieldsCopy` takes them. May throw what a getter or proxy throws. */
export function entryCopy(value: unknown): unknown {
  if (!isCopied(value)) return value;
  const entry = fieldsCopy(value, ENTRY_FIELDS) as Record<string, unknown>;
  if ('record' in entry) entry.record = fieldsCopy(entry.record, RECORD_FIELDS);
  if ('lastError' in entry) entry.lastError = fieldsCopy(entry.lastError, ERROR_FIELDS);
  return entry;
}

/**
 * What a store writes for `entries[index]`: the schema's result on `entryCopy` of it, or the
 * copy itself where `exact` says it is already what the schema would give back (a check much
 * cheaper than the schema); a `StoreError` naming the entry and its field when it is refused or
 * cannot be read (nothing of the call is to be written).
 */
export function checkedEntry(entries: readonly unknown[], index: number, operation: string, exact?: (copy: unknown) => copy is OutboxEntry): OutboxEntry {
  let copy: unknown;
  try {
    copy = entryCopy(entries[index]);
  } catch (error) {
    // A getter or proxy that throws.
    throw new StoreError(operation, `entry ${index} cannot be read (${(error as Error).message}); nothing was written`);
  }
  return exact?.(copy) ? copy : parseStorable(copy, index, operation);
}

/** `checkedEntry` of each of `entries` (holes of a sparse array included, and refused). */
export function checkedEntries(entries: readonly unknown[], operation: string, exact?: (copy: unknown) => copy is OutboxEntry): OutboxEntry[] {
  return Array.from({ length: entries.length }, (_, index) => checkedEntry(entries, index, operation, exact));
}
