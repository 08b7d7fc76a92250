import * as z from 'zod/mini';
import { AuthorizationMailSchema, type AuthorizationMail } from './schemas.js';
import { ValidationError, type ValidationIssue } from '../errors/ValidationError.js';

/** The most issues one `ValidationError` lists; the message says how many more there were. */
const MAX_ISSUES = 20;

/**
 * Validates records handed in by a caller: one record or a non-empty array of them.
 * All or nothing: throws one `ValidationError` naming every bad record's index and field.
 */
export function validateRecords(input: unknown): AuthorizationMail[] {
  const list = Array.isArray(input) ? input : input !== null && typeof input === 'object' ? [input] : undefined;
  if (list === undefined) {
    throw new ValidationError([{ field: 'records', message: `expected a record or an array of records, got ${describeValue(input)}` }]);
  }
  if (list.length === 0) {
    throw new ValidationError([{ field: 'records', message: 'must hold at least one record' }]);
  }
  const records: AuthorizationMail[] = [];
  const issues: ValidationIssue[] = [];
  // A plain loop, not forEach: holes in a sparse array are records too (and invalid ones).
  for (let index = 0; index < list.length; index++) {
    const item: unknown = list[index];
    const result = AuthorizationMailSchema.safeParse(item);
    if (result.success) records.push(result.data);
    else for (const issue of result.error.issues) issues.push(toIssue(issue, item, index));
  }
  if (issues.length > 0) throw new ValidationError(capIssues(issues));
  return records;
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
  return [...issues.slice(0, MAX_ISSUES), { field: '', message: `and ${issues.length - MAX_ISSUES} more problems` }];
}

/** A short description of a value's type, never the value itself (it may be anything). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
