// What a store takes from an entry it is asked to write: the fields the schema reads, each read
// once, into plain objects. Unknown fields (which could hold anything), a `toJSON`, or a getter
// that gives the check one value and the writer another never reach what is stored.
import { RECORD_FIELDS } from '../api/plain-record.js';
import { StoreError } from '../errors/StoreError.js';
import { parseStorable, type OutboxEntry } from './entry.js';

export const ENTRY_FIELDS: ReadonlySet<string> = new Set(['key', 'record', 'projectId', 'language', 'seq', 'enqueuedAt', 'attempts', 'nextAttemptAt', 'state', 'deadReason', 'lastError']);
export const ERROR_FIELDS: ReadonlySet<string> = new Set(['name', 'message', 'retryable', 'kind', 'status', 'errorCode', 'errorMsg', 'requestId', 'retryAfterMs']);
export const RECORD_FIELD_SET: ReadonlySet<string> = new Set<string>(RECORD_FIELDS);

/** Objects other than arrays are copied; anything else is kept as it is (and refused by the checks). */
const isCopied = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `fields` of `value` (those it has, own or inherited, as the schema reads them), each read
 * once, in a plain object. Anything that is not an object, or an array, is given back as it is,
 * for the checks to refuse.
 */
function fieldsCopy(value: unknown, fields: ReadonlySet<string>): unknown {
  if (!isCopied(value)) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of fields) if (key in source) copy[key] = source[key];
  return copy;
}

/** An entry's fields, and its record's and last error's, as `fieldsCopy` takes them. May throw what a getter or proxy throws. */
export function entryCopy(value: unknown): unknown {
  if (!isCopied(value)) return value;
  const entry = fieldsCopy(value, ENTRY_FIELDS) as Record<string, unknown>;
  if ('record' in entry) entry.record = fieldsCopy(entry.record, RECORD_FIELD_SET);
  if ('lastError' in entry) entry.lastError = fieldsCopy(entry.lastError, ERROR_FIELDS);
  return entry;
}

/** `entryCopy` of `entries[index]`, or a `StoreError` naming the entry when reading it throws. */
export function entryCopyOf(entries: readonly unknown[], index: number, operation: string): unknown {
  try {
    return entryCopy(entries[index]);
  } catch (error) {
    // A getter or proxy that throws.
    throw new StoreError(operation, `entry ${index} cannot be read (${(error as Error).message}); nothing was written`);
  }
}

/**
 * What a store writes for each of `entries`: the schema's result on `entryCopy` of it, or a
 * `StoreError` naming the first bad entry and its field (nothing of the call is to be written).
 */
export function checkedEntries(entries: readonly unknown[], operation: string): OutboxEntry[] {
  return Array.from({ length: entries.length }, (_, index) => parseStorable(entryCopyOf(entries, index, operation), index, operation));
}
