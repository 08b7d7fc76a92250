import * as z from 'zod/mini';
import { AuthorizationMailSchema, LanguageSchema, type AuthorizationMail, type Language } from '../api/schemas.js';

/** Why a record was dead-lettered. */
export type DeadReason = 'rejected' | 'max-attempts' | 'expired';

/**
 * What is kept of an error: plain data, never a secret, a cause or a stack. Stored with the
 * entry (`lastError`) and carried by events, so it crosses tabs and processes unchanged.
 */
export interface ErrorInfo {
  name: string;
  message: string;
  retryable: boolean;
  kind?: string | undefined;
  status?: number | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

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

const ErrorInfoSchema = /* @__PURE__ */ z.object({
  name: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  kind: z.optional(z.string()),
  status: z.optional(z.number()),
  errorCode: z.optional(z.string()),
  errorMsg: z.optional(z.string()),
  requestId: z.optional(z.string()),
  retryAfterMs: z.optional(z.number()),
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
