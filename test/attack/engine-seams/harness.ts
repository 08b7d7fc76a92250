// Shared parts of the engine-seams attack suite: a store view with a slow read, a fetch that
// counts (and remembers what it carries) while the requests still go over real HTTP, a deferred,
// and a host of several engines over one store whose relays can be delayed or lost.
import { createEngine, type Outbox } from '../../../src/outbox/outbox.js';
import type { CoordinatedEngine, Coordinator, ForwardedCommand } from '../../../src/outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../../../src/outbox/events.js';
import type { OutboxOptions } from '../../../src/outbox/options.js';
import type { OutboxRole } from '../../../src/outbox/snapshot.js';
import type { QueueStore } from '../../../src/store/QueueStore.js';
import { MemoryStore } from '../../../src/store/MemoryStore.js';

/** A promise and the functions that settle it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]));
  return { promise, resolve, reject };
}

/** A view of `store` whose `load()` takes `loadMs` more (an IndexedDB read of a big queue). */
export function slowLoading(store: QueueStore, loadMs: number): QueueStore {
  return {
    load: async () => {
      await new Promise((resolve) => setTimeout(resolve, loadMs));
      return store.load();
    },
    putMany: (entries) => store.putMany(entries),
    deleteMany: (keys) => store.deleteMany(keys),
    setMeta: (values) => store.setMeta(values),
    close: async () => undefined,
  };
}

/** `globalThis.fetch`, counted: every request still goes to the real mock over HTTP. */
export function countingFetch(): { fetch: typeof globalThis.fetch; calls: number; idsSent: string[]; open: Set<string> } {
  const counter = {
    calls: 0,
    idsSent: [] as string[],
    /** Ids inside a request whose answer has not come yet. */
    open: new Set<string>(),
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      counter.calls++;
      const ids = typeof init?.body === 'string' ? (JSON.parse(init.body) as { records: Array<{ id: string }> }).records.map((r) => r.id) : [];
      counter.idsSent.push(...ids);
      for (const id of ids) counter.open.add(id);
      try {
        return await globalThis.fetch(input, init);
      } finally {
        for (const id of ids) counter.open.delete(id);
      }
    }) as typeof globalThis.fetch,
  };
  return counter;
}

/** How the bus delivers one message: after `delayMs` (real time), or never (`lost`). */
export interface Delivery {
  delayMs?: number;
  lost?: boolean;
}

type Message =
  | { kind: 'event'; name: OutboxEventName; payload: unknown }
  | { kind: 'changed' }
  | { kind: 'command'; command: ForwardedCommand; reason?: PauseReason }
  | { kind: 'sender' };

/**
 * Several engines over one store in one process, coordinated the way the tab host does it
 * (the leader syncs on `changed` and runs commands; followers relay events and re-read), with
 * each message delivered in a task of its own, after `route(message)`'s delay or not at all.
 */
export class Bus {
  readonly store = new MemoryStore();
  readonly members: Array<{ engine: CoordinatedEngine | undefined; outbox: Outbox }> = [];
  route: (message: Message, from: number, to: number) => Delivery = () => ({});

  /** Adds an engine (its own view of the shared store, optionally slow to read) that starts as `role`. */
  add(options: Omit<OutboxOptions, 'store'>, role: OutboxRole, loadMs = 0): Outbox {
    const index = this.members.length;
    const member = { engine: undefined as CoordinatedEngine | undefined, outbox: undefined as unknown as Outbox };
    this.members.push(member);
    const coordinator: Coordinator = {
      start: (engine) => {
        member.engine = engine;
        engine.setRole(role);
      },
      publish: <E extends OutboxEventName>(name: E, payload: OutboxEvents[E]) => this.#post(index, { kind: 'event', name, payload }),
      changed: () => this.#post(index, { kind: 'changed' }),
      forward: (command, reason) => this.#post(index, { kind: 'command', command, reason }),
      close: () => {
        member.engine = undefined;
      },
    };
    const store = slowLoading(this.store, loadMs);
    member.outbox = createEngine({ ...options, store }, { makeStore: () => new MemoryStore(), coordinator });
    return member.outbox;
  }

  /** Makes `leader` the only sender; the others follow and hear that the sender changed. */
  lead(leader: number): void {
    this.members.forEach((member, index) => {
      if (index !== leader) member.engine?.setRole('follower');
    });
    this.members[leader]?.engine?.setRole('leader');
    this.#post(leader, { kind: 'sender' });
  }

  #post(from: number, message: Message): void {
    this.members.forEach((_, to) => {
      if (to === from) return;
      const { delayMs = 0, lost = false } = this.route(message, from, to);
      if (!lost) setTimeout(() => this.#receive(to, message), delayMs);
    });
  }

  #receive(to: number, message: Message): void {
    const engine = this.members[to]?.engine;
    if (!engine) return;
    if (message.kind === 'event') {
      engine.relay(message.name, message.payload as OutboxEvents[OutboxEventName]);
      if (engine.role === 'follower') void engine.sync();
    } else if (message.kind === 'sender') engine.senderChanged();
    else if (message.kind === 'command') engine.run(message.command, message.reason);
    else void engine.sync(); // `changed`: whoever hears it re-reads the store
  }
}

/** Ids that occur more than once. */
export function twice(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false))))];
}
