// Listening to an outbox from a test: a log of everything it emitted, the next event of a name,
// or every payload of one name.
import type { Outbox, OutboxEventName, OutboxEvents } from '../../src/index.js';

/** Every event the outbox emits (a platform may add more; these are the ones DESIGN.md names). */
export const EVENT_NAMES: readonly OutboxEventName[] = [
  'enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error',
];

/** One emitted event, with the wall-clock time it was seen and its place among all events of the outbox. */
export interface Seen<E extends OutboxEventName> {
  at: number;
  seq: number;
  event: OutboxEvents[E];
}

/** One emitted event as name and payload (a discriminated union: narrowing on `name` types `payload`). */
export type RecordedEvent = { [E in OutboxEventName]: { name: E; payload: OutboxEvents[E] } }[OutboxEventName];

/** Every event an outbox emitted: by name (with times), all in order, and the payloads of one name. */
export type EventLog = { [E in OutboxEventName]: Array<Seen<E>> } & {
  /** Names in emission order, for ordering assertions. */
  order: OutboxEventName[];
  /** Every event in emission order. */
  all: RecordedEvent[];
  /** The payloads of the `name` events so far, in order. */
  of<E extends OutboxEventName>(name: E): Array<OutboxEvents[E]>;
};

/** Subscribes to every event of `outbox` and keeps them (with the time each was seen). */
export function recordEvents(outbox: Outbox): EventLog {
  const all: RecordedEvent[] = [];
  const log = {
    order: [],
    all,
    of: <E extends OutboxEventName>(name: E) => all.filter((event) => event.name === name).map((event) => event.payload as OutboxEvents[E]),
  } as unknown as EventLog;
  for (const name of EVENT_NAMES) {
    const seen: Array<Seen<typeof name>> = [];
    (log as unknown as Record<string, unknown>)[name] = seen;
    outbox.on(name, (event) => {
      seen.push({ at: Date.now(), seq: log.order.length, event });
      log.order.push(name);
      all.push({ name, payload: event } as RecordedEvent);
    });
  }
  return log;
}

/** Resolves with the payload of the next `name` event of `outbox`. */
export function nextEvent<E extends OutboxEventName>(outbox: Outbox, name: E): Promise<OutboxEvents[E]> {
  return new Promise((resolve) => {
    const off = outbox.on(name, (event) => {
      off();
      resolve(event);
    });
  });
}

/** Every payload of one event of `outbox`, in order (a live array). */
export function collect<E extends OutboxEventName>(outbox: Outbox, name: E): Array<OutboxEvents[E]> {
  const seen: Array<OutboxEvents[E]> = [];
  outbox.on(name, (event) => seen.push(event));
  return seen;
}
