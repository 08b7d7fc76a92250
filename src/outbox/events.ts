import type { AuthorizationMail, Language } from '../api/schemas.js';
import type { DeadReason, ErrorInfo } from '../store/entry.js';

/** Why the outbox stopped sending until `resume()` (or, for `offline`, until the network is back). */
export type PauseReason = 'auth' | 'forbidden' | 'offline' | 'config';

/** What a drain did. */
export interface DrainSummary {
  /** Records delivered (answered 200) during the drain. */
  sent: number;
  /** Records dead-lettered during the drain. */
  failed: number;
  /** Records still pending when it ended (non-zero only when paused or stopped). */
  pending: number;
}

/**
 * The outbox's events and their payloads: plain data, so they can cross tabs and processes.
 * `durationMs` (on `sent`, `retrying`, `failed`): how long the request that decided it took, on
 * the outbox's clock; absent when no request did (e.g. a record that expired in the queue).
 */
export interface OutboxEvents {
  /** A record was stored (once per record; coalesced records are not announced again). */
  enqueued: { record: AuthorizationMail; projectId: string };
  /** A request is about to go out (once per batch). `attempt`: the highest attempt number among its records. */
  sending: { records: AuthorizationMail[]; projectId: string; language: Language | undefined; attempt: number };
  /** The service answered 200 for the record's batch; it has left the store. */
  sent: { record: AuthorizationMail; projectId: string; attempt: number; requestId: string | undefined; durationMs?: number | undefined };
  /** The send failed in a way worth retrying; it will be sent again at `retryAt`. */
  retrying: { record: AuthorizationMail; projectId: string; attempt: number; delayMs: number; retryAt: number; error: ErrorInfo; durationMs?: number | undefined };
  /** The record was dead-lettered: it stays in the store (see `dead()`), is not sent again until requeued. */
  failed: { record: AuthorizationMail; projectId: string; reason: DeadReason; attempts: number; error: ErrorInfo; durationMs?: number | undefined };
  /** The whole outbox stopped sending. */
  paused: { reason: PauseReason; error?: ErrorInfo | undefined };
  /** Sending goes on again. */
  resumed: { reason: PauseReason };
  /** Nothing is pending any more, or the outbox paused with records pending. */
  drained: DrainSummary;
  /** A store fault or an internal fault (including a listener that threw). Records are kept. */
  error: { error: ErrorInfo; during: 'store' | 'listener' | 'internal' };
  /**
   * This instance's part among the tabs sharing its store changed: `leader` sends, `follower`
   * stores and watches, `single` works alone (`reason` says why, e.g. no Web Locks).
   */
  coordination: { role: 'leader' | 'follower' | 'single'; reason?: string | undefined };
}

export type OutboxEventName = keyof OutboxEvents;
export type OutboxListener<E extends OutboxEventName> = (event: OutboxEvents[E]) => void;

/**
 * A tiny typed emitter. A listener that throws does not reach the outbox: it is reported
 * through `error` (except a throwing `error` listener, which is dropped to avoid a loop).
 */
export class Emitter {
  readonly #listeners = new Map<OutboxEventName, Set<(event: never) => void>>();
  readonly #observer: (<E extends OutboxEventName>(name: E, event: OutboxEvents[E]) => void) | undefined;

  /** `observer` sees every event before the listeners do (the outbox's own bookkeeping). */
  constructor(observer?: <E extends OutboxEventName>(name: E, event: OutboxEvents[E]) => void) {
    this.#observer = observer;
  }

  on<E extends OutboxEventName>(name: E, listener: OutboxListener<E>): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    // A copy per subscription, so the same function subscribed twice is unsubscribed once each.
    const wrapped = (event: OutboxEvents[E]) => listener(event);
    set.add(wrapped as (event: never) => void);
    return () => void set.delete(wrapped as (event: never) => void);
  }

  /** True when `name` has a listener. */
  has(name: OutboxEventName): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    this.#observer?.(name, event);
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as OutboxListener<E>)(event);
      } catch (error) {
        if (name !== 'error') {
          this.emit('error', { error: listenerErrorInfo(name, error), during: 'listener' });
        }
      }
    }
  }
}

function listenerErrorInfo(name: string, error: unknown): ErrorInfo {
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'ListenerError', message: `a "${name}" listener threw: ${message}`, retryable: false };
}
