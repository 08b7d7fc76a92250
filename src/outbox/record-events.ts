import type { OutboxEntry } from '../store/entry.js';
import type { Emitter, OutboxEvents } from './events.js';
import type { LiveSnapshot } from './live-snapshot.js';

/** The events that are announced once per record. */
export type RecordEventName = 'enqueued' | 'sent' | 'retrying' | 'failed';

/** What the record events keep up to date. */
export interface RecordEventsContext {
  readonly events: Emitter;
  /** Records delivered and dead-lettered (drain summaries count them). */
  counters(): { sent: number; failed: number };
  readonly snapshot: LiveSnapshot;
  /** True when every event is wanted whether or not a listener is subscribed here (a host publishes them to other instances). */
  everyEventWanted(): boolean;
}

/**
 * The per-record events of this instance's own work, one batch at a time (and `sending`, whose
 * keys it takes from the entries instead of rebuilding them from the event's records): the bookkeeping (drain
 * counts, records in flight, the snapshot) is done once per batch, and the event objects are
 * built only when somebody takes them: a listener of that event, or a host that publishes every
 * event. With neither, a batch of 100 delivered records costs no event object at all.
 *
 * Events relayed from another instance (and any emitted one by one) go through `observe`.
 */
export class RecordEvents {
  readonly #ctx: RecordEventsContext;
  /** The event being emitted by `emit` (already counted): `observe` leaves it alone. */
  #tallied: object | undefined;

  constructor(context: RecordEventsContext) {
    this.#ctx = context;
  }

  /** Announces `name` for each of `entries`; `make` builds one entry's event, only if it is wanted. */
  emit<E extends RecordEventName>(name: E, entries: readonly OutboxEntry[], make: (entry: OutboxEntry) => OutboxEvents[E]): void {
    if (entries.length === 0) return;
    const { events, snapshot } = this.#ctx;
    const counters = this.#ctx.counters();
    if (name === 'sent') counters.sent += entries.length;
    if (name === 'failed') counters.failed += entries.length;
    if (name === 'enqueued') snapshot.invalidate();
    else snapshot.settled(entries.map((entry) => entry.key));
    if (!events.has(name) && !this.#ctx.everyEventWanted()) return;
    for (const entry of entries) {
      const event = make(entry);
      this.#tallied = event;
      try {
        events.emit(name, event);
      } finally {
        this.#tallied = undefined;
      }
    }
  }

  /** Announces the request about to carry `entries` (one event per batch); their keys are in flight from now. */
  sending(entries: readonly OutboxEntry[], event: OutboxEvents['sending']): void {
    const { snapshot } = this.#ctx;
    for (const entry of entries) snapshot.inFlight.add(entry.key);
    snapshot.invalidate();
    this.#tallied = event;
    try {
      this.#ctx.events.emit('sending', event);
    } finally {
      this.#tallied = undefined;
    }
  }

  /** The bookkeeping of an event not emitted through `emit` (e.g. relayed by the sender). */
  observe<E extends keyof OutboxEvents>(name: E, event: OutboxEvents[E]): void {
    if (event === this.#tallied) return;
    if (name === 'sent') this.#ctx.counters().sent++;
    if (name === 'failed') this.#ctx.counters().failed++;
    this.#ctx.snapshot.observe(name, event);
  }
}
