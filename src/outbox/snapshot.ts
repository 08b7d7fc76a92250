import type { AuthorizationMail } from '../api/schemas.js';
import type { DeadReason, ErrorInfo, OutboxEntry } from '../store/entry.js';
import type { PauseReason } from './events.js';

/** Where a record stands, for a UI. */
export type RecordStatus = 'pending' | 'sending' | 'retrying' | 'dead';

/** Which part this outbox instance plays among the tabs (or processes) sharing its store. */
export type OutboxRole = 'leader' | 'follower' | 'single';

export interface SnapshotRecord {
  key: string;
  record: AuthorizationMail;
  projectId: string;
  status: RecordStatus;
  /** Sends so far. */
  attempts: number;
  /** ms epoch of the next send, when it waits for backoff. */
  nextAttemptAt: number | undefined;
  enqueuedAt: number;
  lastError: ErrorInfo | undefined;
  deadReason: DeadReason | undefined;
}

/**
 * An immutable picture of the outbox for UIs: the same object until something changes, so it
 * can feed React's `useSyncExternalStore` (or any store-based framework) directly.
 */
export interface OutboxSnapshot {
  counts: Record<RecordStatus, number> & { total: number };
  /** Pending records oldest first, then dead-lettered ones. */
  records: readonly SnapshotRecord[];
  pausedReason: PauseReason | undefined;
  role: OutboxRole;
  /** When this picture was taken (ms epoch). */
  takenAt: number;
}

export interface SnapshotSource {
  pending: OutboxEntry[];
  dead: OutboxEntry[];
  inFlight: ReadonlySet<string>;
  pausedReason: PauseReason | undefined;
  role: OutboxRole;
}

/** The picture of the queue at `now` (the outbox's clock). */
export function buildSnapshot(source: SnapshotSource, now: number): OutboxSnapshot {
  const counts = { pending: 0, sending: 0, retrying: 0, dead: 0, total: 0 };
  const records: SnapshotRecord[] = [];
  for (const entry of source.pending) {
    const status: RecordStatus = source.inFlight.has(entry.key) ? 'sending' : entry.nextAttemptAt > now ? 'retrying' : 'pending';
    records.push(toRecord(entry, status));
    counts[status]++;
  }
  for (const entry of source.dead) {
    records.push(toRecord(entry, 'dead'));
    counts.dead++;
  }
  counts.total = records.length;
  return Object.freeze({ counts, records: Object.freeze(records), pausedReason: source.pausedReason, role: source.role, takenAt: now });
}

function toRecord(entry: OutboxEntry, status: RecordStatus): SnapshotRecord {
  return {
    key: entry.key,
    record: entry.record,
    projectId: entry.projectId,
    status,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt > 0 && status !== 'dead' ? entry.nextAttemptAt : undefined,
    enqueuedAt: entry.enqueuedAt,
    lastError: entry.lastError,
    deadReason: entry.deadReason,
  };
}
