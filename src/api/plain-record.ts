import type { AuthorizationMail } from './schemas.js';

/** The nine optional fields of `AuthorizationMailSchema`, in its order. */
const OPTIONAL_FIELDS = [
  'account',
  'account_auth_type',
  'account_auth_name',
  'app_group_id',
  'app_group_name',
  'mail_send_type',
  'mail_send_result',
  'error_msg',
  'send_at',
] as const;

/** The ten fields of a record, `id` first, in the schema's order. */
export const RECORD_FIELDS = ['id', ...OPTIONAL_FIELDS] as const;

/**
 * The common case of `AuthorizationMailSchema.safeParse` without zod's machinery: an object whose
 * `id` is a non-blank string and whose other fields are strings, `null` or absent gives exactly
 * what the schema gives (the ten fields as strings, in the schema's order, `null` and unknown
 * keys dropped). Anything else returns `undefined`, and the caller asks the schema, which also
 * words the problem. A property test holds the two to the same answers.
 */
export function plainRecord(item: unknown): AuthorizationMail | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const fields = item as Record<string, unknown>;
  const id = fields.id;
  if (typeof id !== 'string' || id.trim().length === 0) return undefined;
  const record: Record<string, string> = { id };
  for (const field of OPTIONAL_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') record[field] = value;
    else if (value !== undefined && value !== null) return undefined;
  }
  return record as unknown as AuthorizationMail;
}
