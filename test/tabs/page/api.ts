// What one tab of the multi-tab tests offers the test process (as `window.tabApi`). Only plain
// data crosses `page.evaluate`, so every method takes and returns JSON-friendly values.
import type { DrainSummary, OutboxEntry, OutboxEventName, OutboxEvents, PauseReason, RetryOptions } from '../../../src/index.js';
import type { OutboxRole, OutboxSnapshot } from '../../../src/outbox/snapshot.js';

/** The outbox options a test may choose; endpoint, project and token come from the page's query string. */
export interface TabOutboxOptions {
  name: string;
  batchSize?: number;
  autoStart?: boolean;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
}

/** One event the tab's outbox emitted, with the page's clock when it was seen. */
export type SeenEvent = { [E in OutboxEventName]: { name: E; at: number; event: OutboxEvents[E] } }[OutboxEventName];

/** What a failed call threw, as plain data. */
export interface ThrownError {
  name: string;
  message: string;
  causeName: string | undefined;
}

export interface TabApi {
  /** Creates this tab's outbox (browser entry, IndexedDB store) and starts recording its events. */
  create(options: TabOutboxOptions): void;
  /** Enqueues `{ id }` records; resolves with the number added, or the error thrown. */
  enqueue(ids: string[], extra?: Record<string, string>): Promise<{ added: number } | { error: ThrownError }>;
  /** Enqueues `{ id }` records one `enqueue()` call each, in order (as a console's clicks would). */
  enqueueOneByOne(ids: string[]): Promise<number>;
  drain(): Promise<DrainSummary>;
  flush(): Promise<DrainSummary>;
  /** Pauses this tab's outbox (a follower forwards it to the sender). */
  pause(reason: PauseReason): void;
  /** Events seen so far, optionally of one name. */
  events(name?: OutboxEventName): SeenEvent[];
  /** How many events of `name` were seen. */
  count(name: OutboxEventName): number;
  role(): OutboxRole;
  snapshot(): OutboxSnapshot;
  pending(): Promise<OutboxEntry[]>;
  /** Every key and value of every IndexedDB database of this origin, as one searchable string. */
  indexedDbText(): Promise<string>;
  /**
   * Writes `count` records of about `bytes` each through a bare IndexedDbStore named `name` in
   * one putMany; returns what it threw and the record ids the store holds afterwards.
   */
  putManyLarge(name: string, count: number, bytes: number): Promise<{ error: ThrownError | undefined; storedIds: string[] }>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    tabApi: TabApi;
  }
}
