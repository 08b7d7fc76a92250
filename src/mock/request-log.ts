import type { IncomingHttpHeaders } from 'node:http';
import type { AuthorizationMail } from '../api/schemas.js';
import { faultAnswer } from './faults.js';
import type { MockRequest } from './types.js';

/** Headers whose values are credentials: never kept in the log, so a test log can be printed. */
const secretHeaders: ReadonlySet<string> = new Set([
  'x-auth-token',
  'authorization',
  'x-security-token',
  'proxy-authorization',
  'cookie',
]);

export const redacted = '[redacted]';

/** Lowercased headers, multi-valued ones joined by ', ' (the form the signature checks too). */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The headers with every credential replaced by '[redacted]'. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) safe[name] = secretHeaders.has(name) ? redacted : value;
  return safe;
}

/** The first value of each query parameter (the one the listing API reads). */
export function firstValues(query: URLSearchParams): Record<string, string> {
  const first: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in first)) first[name] = value;
  return first;
}

/** The `records` array of a parsed send body, as received, if it has one. */
export function bodyRecords(body: unknown): AuthorizationMail[] | undefined {
  if (typeof body !== 'object' || body === null || !('records' in body)) return undefined;
  const { records } = body;
  return Array.isArray(records) ? (records as AuthorizationMail[]) : undefined;
}

/**
 * Ids of the records of sends the service itself answered 200, in order, duplicates kept.
 * A 200 forced by a fault is not a delivery: the service never saw the records.
 */
export function deliveredIds(requests: readonly MockRequest[]): string[] {
  return requests
    .filter((request) => request.api === 'send' && request.status === 200)
    .filter((request) => request.fault === undefined || faultAnswer(request.fault) === undefined)
    .flatMap((request) => (request.records ?? []).map((record) => record.id));
}
