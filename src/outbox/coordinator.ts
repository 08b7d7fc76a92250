import type { OutboxEventName, OutboxEvents, PauseReason } from './events.js';
import type { QueueStore } from '../store/QueueStore.js';
import type { OutboxRole } from './snapshot.js';

/** What a non-sending instance asks the sender to do. */
export type ForwardedCommand = 'drain' | 'flush' | 'pause' | 'resume';

/**
 * A host decides who sends among the instances that share one store: one process (the single
 * owner), the tabs of a browser, later a service worker or a fleet. It is this interface, and
 * never a branch inside the engine. The engine calls it; it drives the engine back only through
 * the `CoordinatedEngine` handed to `start` (nothing of this is on the public `Outbox`).
 *
 * - `start`: from now on, tell the engine who sends (`engine.setRole`); the engine sends only
 *   while its role is `leader` or `single`.
 * - `publish`: the sender's events, for the other instances (`engine.relay` on their side).
 *   Optional: a host with no other instance (the single owner) leaves it out, and the engine
 *   then builds per-record events only for the listeners that want them.
 * - `changed`: a caller's write changed the store here (enqueue, requeue, purge, flush): the
 *   sender should look again (`engine.sync`). A promise it returns is awaited before the
 *   caller's `enqueue`/`requeue`/`purge` resolves (a page wakes its service worker before it may close).
 * - `forward`: a command given to a non-sending instance, for the sender (`engine.run`).
 * - `close`: let go (locks, channels); called last when the outbox closes.
 */
export interface Coordinator {
  start(engine: CoordinatedEngine): void;
  publish?<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void;
  changed(): void | Promise<void>;
  forward(command: ForwardedCommand, reason?: PauseReason): void;
  close(): Promise<void> | void;
}

/** The engine as a coordinator sees it. */
export interface CoordinatedEngine {
  /**
   * `leader` and `single` send; `follower` stores, watches and forwards. Takes effect at once;
   * announced (a `coordination` event, in a microtask) unless `announce` is false, and then once
   * when the same role is set again with `announce`.
   */
  setRole(role: OutboxRole, reason?: string, announce?: boolean): void;
  readonly role: OutboxRole;
  /** Why sending is paused (a follower mirrors the sender's pause through relayed events). */
  readonly pausedReason: PauseReason | undefined;
  /** Re-reads the store and merges what other instances wrote. */
  sync(): Promise<void>;
  /**
   * Resolves once this instance has no request under way (after it stopped being a sender, its
   * last batch's request ends): a host hands the sending role on only then.
   */
  idle(): Promise<void>;
  /**
   * Another instance has become the sender (the old one is gone): what the old one had in flight
   * is forgotten here, the store re-read, and a drain waiting here is handed to the new sender.
   */
  senderChanged(): void;
  /** Emits an event another instance published (it is not published again). */
  relay<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void;
  /** Runs a command another instance forwarded (ignored unless this instance sends). */
  run(command: ForwardedCommand, reason?: PauseReason): void;
}

/**
 * The single owner: this instance is the only one that uses its store (Node: the FileStore's
 * lock guarantees it; an in-memory store is private anyway). It sends, and tells nobody.
 */
export const singleOwner = (): Coordinator => ({
  start: () => undefined,
  changed: () => undefined,
  forward: () => undefined,
  close: () => undefined,
});

/** What an entry point (core, Node, browser) gives the engine: never part of the public API. */
export interface EngineHost {
  /** Makes the default store when `options.store` is not given; the outbox closes it. */
  readonly makeStore: () => QueueStore;
  /** Decides who sends among the instances sharing the store. @default singleOwner() */
  readonly coordinator?: Coordinator;
  /**
   * Called before each request of a batch waits its turn: a host whose gate and times other
   * instances also write (a database shared by a fleet) re-reads them here, so a `Retry-After`
   * one worker got holds back a batch another worker had already claimed.
   */
  readonly beforeRequest?: (() => Promise<void>) | undefined;
  /**
   * Called right before each request (after the credentials), with the batch's entries: which of
   * them are still this instance's to send (a claim it still holds). The others are dropped from
   * the request and forgotten here.
   */
  readonly stillHeld?: ((entries: ReadonlyArray<{ key: string; seq: number }>) => Promise<ReadonlySet<string>>) | undefined;
  /** Starts paused for this reason (e.g. created while the browser is offline); announced in a microtask. */
  readonly initialPause?: PauseReason | undefined;
}
