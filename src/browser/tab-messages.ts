import type { ForwardedCommand } from '../outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';

/** What tabs of one outbox say to each other over their BroadcastChannel: plain data only. */
export type TabMessage =
  | { kind: 'event'; name: OutboxEventName; payload: OutboxEvents[OutboxEventName] }
  /** A caller's write changed the store (enqueue, requeue, purge): look again. */
  | { kind: 'changed' }
  /** A follower asks the leader to act. */
  | { kind: 'command'; command: ForwardedCommand; reason?: PauseReason | undefined }
  /** A tab that just became a follower asks the sender for the state it missed. */
  | { kind: 'hello' }
  /** A tab has just become the sender (the old one is gone). */
  | { kind: 'sender' }
  /** The sender's answer to `hello`: whether (and why) it is paused. */
  | { kind: 'state'; paused: PauseReason | null }
  /** A service worker whose `auth` comes from pages has no token (or a refused one): a page should hand it one. */
  | { kind: 'token-wanted'; forceRefresh: boolean };

export function isTabMessage(data: unknown): data is TabMessage {
  if (data === null || typeof data !== 'object') return false;
  const kind = (data as { kind?: unknown }).kind;
  return kind === 'event' || kind === 'changed' || kind === 'command' || kind === 'hello' || kind === 'state' || kind === 'sender' || kind === 'token-wanted';
}
