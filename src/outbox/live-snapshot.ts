import { entryKey } from '../store/entry.js';
import type { OutboxEventName, OutboxEvents } from './events.js';
import { buildSnapshot, type OutboxSnapshot, type SnapshotSource } from './snapshot.js';

/**
 * The snapshot for UIs, kept current: rebuilt lazily after a change (the same object until
 * then), subscribers told once per microtask. It also keeps the keys of records in a request
 * right now, from the events (own, or relayed from the sender).
 */
export class LiveSnapshot {
  /** Keys of records in a request right now. */
  readonly inFlight = new Set<string>();
  readonly #read: () => Omit<SnapshotSource, 'inFlight'>;
  readonly #now: () => number;
  readonly #onSubscriberError: (error: unknown) => void;
  readonly #subscribers = new Set<() => void>();
  #snapshot: OutboxSnapshot | undefined;
  #notifyQueued = false;

  /**
   * @param read what the picture shows (queue, pause, role), read when it is rebuilt.
   * @param onSubscriberError called with what a subscriber threw.
   */
  constructor(read: () => Omit<SnapshotSource, 'inFlight'>, now: () => number, onSubscriberError: (error: unknown) => void) {
    this.#read = read;
    this.#now = now;
    this.#onSubscriberError = onSubscriberError;
  }

  /** Bound once: `useSyncExternalStore(outbox.subscribe, outbox.getSnapshot)` works unbound and never resubscribes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const wrapped = () => listener();
    this.#subscribers.add(wrapped);
    return () => void this.#subscribers.delete(wrapped);
  };

  /** Bound once, like `subscribe`. */
  readonly get = (): OutboxSnapshot => {
    this.#snapshot ??= buildSnapshot({ ...this.#read(), inFlight: this.inFlight }, this.#now());
    return this.#snapshot;
  };

  /** Follows an event: which records are in a request now. */
  observe<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    if (name === 'sending') {
      const { records, projectId } = event as OutboxEvents['sending'];
      for (const record of records) this.inFlight.add(entryKey(projectId, record.id));
    } else if (name === 'sent' || name === 'retrying' || name === 'failed') {
      const { record, projectId } = event as OutboxEvents['sent'];
      this.inFlight.delete(entryKey(projectId, record.id));
    } else if (name === 'paused' || name === 'drained') {
      this.inFlight.clear();
    }
    this.invalidate();
  }

  /** These records' request is over, whatever happened: they are no longer in flight. */
  settled(keys: Iterable<string>): void {
    for (const key of keys) this.inFlight.delete(key);
    this.invalidate();
  }

  /** Drops the cached picture and tells subscribers, once per microtask. */
  invalidate(): void {
    this.#snapshot = undefined;
    if (this.#notifyQueued || this.#subscribers.size === 0) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const subscriber of [...this.#subscribers]) {
        try {
          subscriber();
        } catch (error) {
          this.#onSubscriberError(error);
        }
      }
    });
  }
}
