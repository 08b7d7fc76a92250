import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';

/** What tabs of one outbox say to each other over their BroadcastChannel: plain data only. */
export type TabMessage =
  | { kind: 'event'; name: OutboxEventName; payload: OutboxEvents[OutboxEventName] }
  /** A caller's write changed the store (enqueue, requeue, purge): look again. */
  | { kind: 'changed' }
  /** A follower asks the leader to act. */
  | { kind: 'command'; command: 'flush' | 'pause' | 'resume'; reason?: PauseReason | undefined };

export function isTabMessage(data: unknown): data is TabMessage {
  if (data === null || typeof data !== 'object') return false;
  const kind = (data as { kind?: unknown }).kind;
  return kind === 'event' || kind === 'changed' || kind === 'command';
}
