import { LanguageSchema } from '../api/schemas.js';
import { RECORD_FIELDS } from '../api/plain-record.js';
import { ENTRY_FIELDS, ERROR_FIELDS } from './entry-copy.js';
import { MAX_ERROR_INFO_TEXT, entryKey, type OutboxEntry } from './entry.js';

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
