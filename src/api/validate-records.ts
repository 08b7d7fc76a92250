import * as z from 'zod/mini';
import { AuthorizationMailSchema, type AuthorizationMail } from './schemas.js';
import { ValidationError, type ValidationIssue } from '../errors/ValidationError.js';
import { plainRecord, RECORD_FIELDS } from './plain-record.js';
import { fieldsCopy } from './fields-copy.js';

/** The most issues one `ValidationError` lists; the message says how many more there were. */
const MAX_ISSUES = 20;
/** Bad records counted past the listed issues before validation stops (a million holes must not take seconds). */
const MAX_COUNTED = 1000;
/** Records one call may hand in: an array of length 2³²−1 is refused before it is walked. */
export const MAX_RECORDS_PER_CALL = 1_000_000;

/**
 * Validates records handed in by a caller: one record or a non-empty array of them.
 * All or nothing: throws one `ValidationError` naming every bad record's index and field (the
 * first 20 problems, then how many more, counted up to 1000 bad records).
 */
export function validateRecords(input: unknown): AuthorizationMail[] {
  const list = Array.isArray(input) ? input : input !== null && typeof input === 'object' ? [input] : undefined;
  if (list === undefined) {
    throw new ValidationError([{ field: 'records', message: `expected a record or an array of records, got ${describeValue(input)}` }]);
  }
  if (list.length === 0) {
    throw new ValidationError([{ field: 'records', message: 'must hold at least one record' }]);
  }
  if (list.length > MAX_RECORDS_PER_CALL) {
    throw new ValidationError([{ field: 'records', message: `holds ${list.length} records, more than ${MAX_RECORDS_PER_CALL} in one call: split it` }]);
  }
  const records: AuthorizationMail[] = [];
  const issues: ValidationIssue[] = [];
  let badRecords = 0;
  // A plain loop, not forEach: holes in a sparse array are records too (and invalid ones).
  for (let index = 0; index < list.length; index++) {
    const found = checkOne(list, index);
    if ('record' in found) {
      records.push(found.record);
      continue;
    }
    badRecords++;
    for (const issue of found.issues) issues.push(issue);
    if (badRecords >= MAX_COUNTED && index < list.length - 1) {
      issues.push({ field: '', message: `validation stopped at record ${index} after ${MAX_COUNTED} bad records; there may be more` });
      break;
    }
  }
  if (issues.length > 0) throw new ValidationError(capIssues(issues));
  return records;
}

/** One record checked; a record that cannot even be read (a getter or a proxy that throws) is a problem of its own. */
function checkOne(list: readonly unknown[], index: number): { record: AuthorizationMail } | { issues: ValidationIssue[] } {
  let item: unknown;
  try {
    item = list[index];
    const fields = fieldsCopy(item, RECORD_FIELDS);
    const plain = plainRecord(fields);
    if (plain) return { record: plain };
    const result = AuthorizationMailSchema.safeParse(fields);
    if (result.success) return { record: result.data };
    return { issues: result.error.issues.map((issue) => toIssue(issue, fields, index)) };
  } catch (error) {
    // The thrown value is the caller's own: named by type only (it may quote anything).
    const name = error instanceof Error ? error.name : describeValue(error);
    return { issues: [{ index, field: throwingField(item), message: `could not be read: reading it threw (${name})` }] };
  }
}

/** The key of `item` whose getter throws, when it can be found without throwing; '' otherwise. */
function throwingField(item: unknown): string {
  if (item === null || typeof item !== 'object') return '';
  try {
    for (const key of Object.keys(item)) {
      try {
        void (item as Record<string, unknown>)[key];
      } catch {
        return key;
      }
    }
  } catch {
    // A proxy whose key listing throws: no field to name.
  }
  return '';
}

function toIssue(issue: z.core.$ZodIssue, item: unknown, index: number): ValidationIssue {
  const field = issue.path.map(String).join('.');
  const value = issue.path.reduce<unknown>(
    (parent, key) => (parent !== null && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined),
    item,
  );
  return { index, field, message: describeProblem(issue, value) };
}

function describeProblem(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    if (issue.path.length === 0) return `expected an object, got ${describeValue(value)}`;
    return value === undefined ? 'is required' : `expected a ${issue.expected}, got ${describeValue(value)}`;
  }
  return issue.message && issue.message !== 'Invalid input' ? issue.message : `is invalid (${issue.code})`;
}

function capIssues(issues: ValidationIssue[]): ValidationIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  const stopped = issues.at(-1)?.message.startsWith('validation stopped') ? issues.at(-1) : undefined;
  const more = issues.length - MAX_ISSUES - (stopped ? 1 : 0);
  const listed = [...issues.slice(0, MAX_ISSUES), { field: '', message: `and ${more} more problems` }];
  return stopped ? [...listed, stopped] : listed;
}

/** A short description of a value's type, never the value itself (it may be anything). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
