import type { PauseReason } from './events.js';
import type { QueueState } from './queue-state.js';
import type { RequestStats } from './request-stats.js';
import type { OutboxRole } from './snapshot.js';

/** Numbers for dashboards and metrics (see README "Observability"): plain data, read when asked. */
export interface OutboxStats {
  /** Records pending in this instance's view of the queue (those in a request included). */
  pending: number;
  /** Records in a request right now. */
  inFlight: number;
  /** Dead-lettered records. */
  dead: number;
  /** Age of the oldest pending record (ms, on the outbox's clock), or undefined when none is pending. */
  oldestPendingAgeMs: number | undefined;
  /** Requests this instance made (a tab that does not send makes none). */
  requests: number;
  /** How those requests ended: by HTTP status (`2xx`, `429`, `503`, …) or `network`, `timeout`, `protocol`, `other`. */
  answers: Record<string, number>;
  /** When this instance's last request ended (ms epoch, outbox clock), or undefined. */
  lastRequestAt: number | undefined;
  /** Why sending is paused, or undefined. */
  pausedReason: PauseReason | undefined;
  /** This instance's part: `leader` and `single` send. */
  role: OutboxRole;
}

/** The stats at `now`, from the queue in memory, the keys in flight and the request counts. */
export function statsOf(
  state: QueueState,
  inFlight: number,
  requests: RequestStats,
  now: number,
  status: { pausedReason: PauseReason | undefined; role: OutboxRole },
): OutboxStats {
  let oldest: number | undefined;
  let pending = 0;
  for (const entry of state.pendingEntries()) {
    pending++;
    if (oldest === undefined || entry.enqueuedAt < oldest) oldest = entry.enqueuedAt;
  }
  return {
    pending,
    inFlight,
    dead: state.deadEntries().length,
    oldestPendingAgeMs: oldest === undefined ? undefined : Math.max(0, now - oldest),
    requests: requests.requests,
    answers: { ...requests.answers },
    lastRequestAt: requests.lastRequestAt,
    ...status,
  };
}
