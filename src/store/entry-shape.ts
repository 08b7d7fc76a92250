import { RECORD_FIELDS } from '../api/plain-record.js';
import { LanguageSchema } from '../api/schemas.js';
import { StoreError } from '../errors/StoreError.js';
import { MAX_ERROR_INFO_TEXT, assertStorable, entryKey, parseStoredEntry, type OutboxEntry } from './entry.js';

const ENTRY_FIELDS = new Set(['key', 'record', 'projectId', 'language', 'seq', 'enqueuedAt', 'attempts', 'nextAttemptAt', 'state', 'deadReason', 'lastError']);
const ERROR_FIELDS = new Set(['name', 'message', 'retryable', 'kind', 'status', 'errorCode', 'errorMsg', 'requestId', 'retryAfterMs']);
const RECORD_FIELD_SET = new Set<string>(RECORD_FIELDS);
const LANGUAGES = new Set<string>(LanguageSchema.options);
const DEAD_REASONS = new Set(['rejected', 'max-attempts', 'expired']);

/** A plain object, as `JSON.parse` makes them. */
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
const onlyKeys = (value: Record<string, unknown>, allowed: ReadonlySet<string>) => Object.keys(value).every((key) => allowed.has(key));
const count = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const time = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const text = (value: unknown) => typeof value === 'string' && value.length <= MAX_ERROR_INFO_TEXT;
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

function isRecord(value: unknown): boolean {
  if (!isObject(value) || !onlyKeys(value, RECORD_FIELD_SET)) return false;
  if (typeof value.id !== 'string' || value.id.trim().length === 0) return false;
  return Object.values(value).every((field) => typeof field === 'string');
}

function isErrorInfo(value: unknown): boolean {
  if (!isObject(value) || !onlyKeys(value, ERROR_FIELDS)) return false;
  return (
    text(value.name) &&
    text(value.message) &&
    typeof value.retryable === 'boolean' &&
    optional(value.kind, text) &&
    optional(value.status, (status) => Number.isSafeInteger(status) && (status as number) >= 0 && (status as number) <= 999) &&
    optional(value.errorCode, text) &&
    optional(value.errorMsg, text) &&
    optional(value.requestId, text) &&
    optional(value.retryAfterMs, time)
  );
}

/**
 * True when `value` is an entry exactly as `OutboxEntrySchema` gives one back: every field of the
 * right type, nothing else (no unknown key at any level, no `null`), the key matching its
 * project and record. Then the schema would accept it and return an equal value, so a store may
 * take it without running the schema; anything else (including what the schema would accept
 * after stripping or dropping something) returns false and goes to the schema. A property test
 * holds it to that: never true where the schema refuses or changes the value.
 */
export function isStoredEntryShape(value: unknown): value is OutboxEntry {
  if (!isObject(value) || !onlyKeys(value, ENTRY_FIELDS)) return false;
  const { key, record, projectId } = value;
  return (
    typeof key === 'string' &&
    key.length >= 3 &&
    isRecord(record) &&
    typeof projectId === 'string' &&
    projectId.length >= 1 &&
    optional(value.language, (language) => LANGUAGES.has(language as string)) &&
    count(value.seq) &&
    time(value.enqueuedAt) &&
    count(value.attempts) &&
    time(value.nextAttemptAt) &&
    (value.state === 'pending' || value.state === 'dead') &&
    optional(value.deadReason, (reason) => DEAD_REASONS.has(reason as string)) &&
    optional(value.lastError, isErrorInfo) &&
    key === entryKey(projectId, (record as { id: string }).id)
  );
}

/** Nested plain objects below an entry: its `record` and `lastError`, whose fields are all primitives. */
const COPY_DEPTH = 1;

/**
 * A copy of `value`'s own enumerable data, each field read once (a getter cannot give one value
 * to a check and another to `JSON.stringify`), nested plain objects copied down to `depth`;
 * `undefined` where a `__proto__` key would be lost in the copy. Anything else is kept as it is,
 * for the shape check to refuse.
 */
function dataCopy(value: unknown, depth: number): unknown {
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return undefined;
    const field = value[key];
    copy[key] = depth > 0 ? dataCopy(field, depth - 1) : field;
  }
  return copy;
}

/**
 * `value` as the schema would give it back, without running the schema, when it has the exact
 * stored shape (`isStoredEntryShape`): a copy, so later changes to `value` cannot reach what is
 * written. `undefined` otherwise: the caller then runs the schema, which also words the error.
 * May throw what a getter or proxy of `value` throws.
 */
export function storedEntryCopy(value: unknown): OutboxEntry | undefined {
  const copy = dataCopy(value, COPY_DEPTH);
  return isStoredEntryShape(copy) ? copy : undefined;
}

/**
 * What a store writes for `entries[index]`: the entry as the schema returns it (a copy taken
 * without the schema when it has the exact stored shape), so unknown fields, a `toJSON` or a
 * getter read twice never reach what is written; or a `StoreError` naming the entry and its field.
 * Each field of the caller's object is read once (an invalid entry is read again, only to name
 * what is wrong).
 */
export function storableEntry(entries: readonly unknown[], index: number, operation: string): OutboxEntry {
  let entry: OutboxEntry | undefined;
  try {
    // The schema, when it runs, reads the copy too: each field of the caller's object is read once.
    const copy = dataCopy(entries[index], COPY_DEPTH) ?? entries[index];
    entry = isStoredEntryShape(copy) ? copy : parseStoredEntry(copy);
  } catch (error) {
    // A getter or proxy that throws.
    throw new StoreError(operation, `entry ${index} cannot be read (${(error as Error).message}); nothing was written`);
  }
  if (entry !== undefined) return entry;
  assertStorable(entries.slice(0, index + 1), operation); // names the entry and the field
  throw new StoreError(operation, `entry ${index} cannot be stored: it is invalid; nothing was written`);
}
