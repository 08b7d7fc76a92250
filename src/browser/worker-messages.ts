// What pages say to the service worker that sends for them (postMessage to it, never a
// BroadcastChannel: a token goes to the worker alone). Names are prefixed: an application's worker
// hears its own messages too.
import type { ForwardedCommand } from '../outbox/coordinator.js';

export type WorkerMessage =
  /** Records are waiting (or a command was given in a page): run a slice of sending now. */
  | { kind: 'wks-mail-outbox:wake'; name: string; command?: ForwardedCommand | undefined }
  /** A token for the worker's memory (its `auth` is `'from-pages'`); never stored. */
  | { kind: 'wks-mail-outbox:token'; name: string; token: string };

export function isWorkerMessage(data: unknown, name: string): data is WorkerMessage {
  if (data === null || typeof data !== 'object') return false;
  const message = data as { kind?: unknown; name?: unknown; token?: unknown };
  if (message.name !== name) return false;
  return message.kind === 'wks-mail-outbox:wake' || (message.kind === 'wks-mail-outbox:token' && typeof message.token === 'string');
}

/** The Background Sync tag of an outbox. */
export const syncTagOf = (name: string): string => `wks-mail-outbox:${name}`;
