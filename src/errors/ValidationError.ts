import { OutboxError, errorGuard } from './OutboxError.js';

/** One reason why an input was refused. */
export interface ValidationIssue {
  /** Index of the record in the input, when the problem is in one record. */
  readonly index?: number;
  /** Path of the offending field, e.g. `id` or `records` (empty for the record itself). */
  readonly field: string;
  /** What is wrong, in words. */
  readonly message: string;
}

/** Some input was refused before anything was stored or sent. Lists every problem found. */
export class ValidationError extends OutboxError {
  override name = 'ValidationError' as const;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], what = 'records') {
    super(`invalid ${what}: ${issues.map(describeIssue).join('; ')}`);
    this.issues = issues;
  }
}

function describeIssue(issue: ValidationIssue): string {
  const where = issue.index === undefined ? '' : `record ${issue.index}`;
  const field = issue.field ? `field "${issue.field}"` : '';
  const place = [where, field].filter(Boolean).join(', ');
  return place ? `${place}: ${issue.message}` : issue.message;
}

export const isValidationError = /* @__PURE__ */ errorGuard<ValidationError>('ValidationError');
