import * as z from 'zod/mini';
import { StoreError } from '../errors/StoreError.js';
import { AuthorizationMailSchema, LanguageSchema, type AuthorizationMail, type Language } from '../api/schemas.js';
import type { ErrorInfo } from '../errors/ErrorInfo.js';

export type { ErrorInfo } from '../errors/ErrorInfo.js';

/** Why a record was dead-lettered. */
export type DeadReason = 'rejected' | 'max-attempts' | 'expired';

/** One queued record as a store keeps it: plain, serialisable data. */
export interface OutboxEntry {
  /** `projectId:recordId`: one entry per record id and project. */
  key: string;
  record: AuthorizationMail;
  projectId: string;
  language?: Language | undefined;
  /** Position in the queue: lower is older (FIFO). */
  seq: number;
  /** ms epoch when it was enqueued (for `maxAgeMs`). */
  enqueuedAt: number;
  /** Sends so far, the first included. */
  attempts: number;
  /** ms epoch before which it must not be sent again (0: due now). */
  nextAttemptAt: number;
  state: 'pending' | 'dead';
  deadReason?: DeadReason | undefined;
  lastError?: ErrorInfo | undefined;
}

export function entryKey(projectId: string, recordId: string): string {
  return `${projectId}:${recordId}`;
}

/** A dead entry back as pending with a new lease of life: attempts and age count from `now`. */
export function revivedEntry(entry: OutboxEntry, now: number, seq = entry.seq): OutboxEntry {
  return { ...entry, state: 'pending', deadReason: undefined, attempts: 0, nextAttemptAt: 0, enqueuedAt: now, seq };
}

/**
 * Longest string an `ErrorInfo` field may hold in a store: above what `toErrorInfo` writes (the
 * server's `error_msg` is cut to 1 KiB, our messages to 2 KiB, each plus a short cut mark), so
 * a store refuses unbounded text instead of filling the disk with it.
 */
export const MAX_ERROR_INFO_TEXT = 4096;

const errorText = /* @__PURE__ */ z.string().check(z.maxLength(MAX_ERROR_INFO_TEXT));

const ErrorInfoSchema = /* @__PURE__ */ z.object({
  name: errorText,
  message: errorText,
  retryable: z.boolean(),
  kind: z.optional(errorText),
  status: z.optional(z.number().check(z.int(), z.gte(0), z.lte(999))),
  errorCode: z.optional(errorText),
  errorMsg: z.optional(errorText),
  requestId: z.optional(errorText),
  retryAfterMs: z.optional(z.number().check(z.gte(0), z.refine(Number.isFinite, { message: 'must be a finite number' }))),
});

const count = /* @__PURE__ */ z.number().check(z.int(), z.gte(0));
const time = /* @__PURE__ */ z.number().check(z.gte(0));

/**
 * Checks an entry read back from storage: a hand-edited or corrupted file must not smuggle in
 * wrong types (or `__proto__` keys, which `z.object` drops).
 */
export const OutboxEntrySchema = /* @__PURE__ */ z
  .object({
    key: z.string().check(z.minLength(3)),
    record: AuthorizationMailSchema,
    projectId: z.string().check(z.minLength(1)),
    language: z.optional(LanguageSchema),
    seq: count,
    enqueuedAt: time,
    attempts: count,
    nextAttemptAt: time,
    state: z.enum(['pending', 'dead']),
    deadReason: z.optional(z.enum(['rejected', 'max-attempts', 'expired'])),
    lastError: z.optional(ErrorInfoSchema),
  })
  .check(
    z.refine((entry) => entry.key === entryKey(entry.projectId, entry.record.id), {
      message: 'key does not match projectId and record.id',
    }),
  );

/** Parses a stored entry; `undefined` when it is not a valid entry. */
export function parseStoredEntry(value: unknown): OutboxEntry | undefined {
  const result = OutboxEntrySchema.safeParse(value);
  return result.success ? (result.data as OutboxEntry) : undefined;
}

/**
 * `value` as the schema gives it back, or a `StoreError` naming entry `index` and its first bad
 * field (what a store says when it refuses a write; nothing of the call is stored).
 */
export function parseStorable(value: unknown, index: number, operation: string): OutboxEntry {
  const result = OutboxEntrySchema.safeParse(value);
  if (result.success) return result.data as OutboxEntry;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'entry';
  throw new StoreError(operation, `entry ${index} cannot be stored: ${field} ${issue?.message ?? 'is invalid'}; nothing was written`);
}
