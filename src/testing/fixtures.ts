// Entries the suite stores: one with only the required fields, one with every optional field.
// Exported so a store's own tests can build entries the same way.
import { entryKey, type OutboxEntry } from '../store/entry.js';
import type { QueueStore, StoreContents } from '../store/QueueStore.js';

/** The project id of `bareEntry` and `fullEntry` (a valid one: 32 hex digits). */
export const FIXTURE_PROJECT_ID = '0123456789abcdef0123456789abcdef';

/** An entry with only the required fields; `overrides` replaces any of them. */
export function bareEntry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  const projectId = overrides.projectId ?? FIXTURE_PROJECT_ID;
  return {
    key: entryKey(projectId, overrides.record?.id ?? id),
    record: { id },
    projectId,
    seq: 1,
    enqueuedAt: 1_700_000_000_000,
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
    ...overrides,
  };
}

/** An entry with every optional field set, nested ones included (a dead letter with its last error). */
export function fullEntry(id: string, seq = 1): OutboxEntry {
  return {
    key: entryKey(FIXTURE_PROJECT_ID, id),
    record: {
      id,
      account: `user-${id}`,
      account_auth_type: 'USER',
      account_auth_name: `User ${id}`,
      app_group_id: `group-${id}`,
      app_group_name: `Group ${id}`,
      mail_send_type: 'ADD_GROUP_AUTHORIZATION',
      mail_send_result: 'FAIL',
      error_msg: 'mailbox unavailable',
      send_at: '2024-05-01T08:30:00Z',
    },
    projectId: FIXTURE_PROJECT_ID,
    language: 'fr-fr',
    seq,
    enqueuedAt: 1_700_000_000_123,
    attempts: 3,
    nextAttemptAt: 1_700_000_060_456,
    state: 'dead',
    deadReason: 'max-attempts',
    lastError: {
      name: 'ApiError',
      message: 'the service is unavailable (503)',
      retryable: true,
      kind: 'unavailable',
      status: 503,
      errorCode: 'WKS.0503',
      errorMsg: 'Service Unavailable',
      requestId: `req-${id}`,
      retryAfterMs: 30_000,
    },
  };
}

/** The fixture key of a record id (in `FIXTURE_PROJECT_ID`). */
export const keyOf = (id: string): string => entryKey(FIXTURE_PROJECT_ID, id);

/** Entries sorted by key: stores keep no order. */
export const byKey = (entries: readonly OutboxEntry[]): OutboxEntry[] => [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * Loads and returns the entries sorted by key and the meta. `problems` is left out: a store
 * written only through the interface has none, which the "reports no problems" cases check.
 */
export async function contentsOf(store: QueueStore): Promise<Pick<StoreContents, 'entries' | 'meta'>> {
  const { entries, meta } = await store.load();
  return { entries: byKey(entries), meta };
}

/** What an empty store loads. */
export const EMPTY = (): Pick<StoreContents, 'entries' | 'meta'> => ({ entries: [], meta: {} });
