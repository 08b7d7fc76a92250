// Shared by the outbox robustness tests: a real mock service per test, outboxes closed after
// each test, a store whose faults can be switched on, and an event recorder.
import { afterEach, expect } from 'vitest';
import {
  createOutbox,
  MemoryStore,
  type OutboxEntry,
  type OutboxEventName,
  type OutboxEvents,
  type Outbox,
  type OutboxOptions,
  type StoreContents,
} from '../../src/index.js';
import { startMockWorkspace, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';

export const EVENT_NAMES: readonly OutboxEventName[] = [
  'enqueued',
  'sending',
  'sent',
  'retrying',
  'failed',
  'paused',
  'resumed',
  'drained',
  'error',
];

/** Fast retries without jitter, so the suites stay quick and their timing predictable. */
export const FAST_RETRY = { minDelayMs: 10, maxDelayMs: 50, jitter: 0 } as const;

/**
 * Starts mocks and outboxes (over `mock`, with FAST_RETRY under any `retry` given) that are
 * closed after each test, outboxes first so that a request in flight can finish.
 */
export function useHarness(): {
  startMock: (options?: MockWorkspaceOptions) => Promise<MockWorkspace>;
  outboxFor: (mock: MockWorkspace, overrides?: Partial<OutboxOptions>) => Outbox;
} {
  const mocks: MockWorkspace[] = [];
  const outboxes: Outbox[] = [];
  afterEach(async () => {
    await Promise.all(outboxes.splice(0).map((outbox) => outbox.close()));
    await Promise.all(mocks.splice(0).map((mock) => mock.close()));
  });
  return {
    async startMock(options) {
      const mock = await startMockWorkspace(options);
      mocks.push(mock);
      return mock;
    },
    outboxFor(mock, overrides = {}) {
      const outbox = createOutbox({
        endpoint: mock.url,
        projectId: mock.projectId,
        auth: { token: mock.token },
        ...overrides,
        retry: { ...FAST_RETRY, ...overrides.retry },
      });
      outboxes.push(outbox);
      return outbox;
    },
  };
}

/** Records `{ id }` for each id. */
export const records = (...ids: string[]): Array<{ id: string }> => ids.map((id) => ({ id }));

/** `count` record ids `prefix-0` … */
export const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

export type RecordedEvent = { [E in OutboxEventName]: { name: E; payload: OutboxEvents[E] } }[OutboxEventName];

/** Subscribes to every event of `outbox` and keeps what it saw, in order. */
export function recordEvents(outbox: Outbox): {
  all: RecordedEvent[];
  of: <E extends OutboxEventName>(name: E) => Array<OutboxEvents[E]>;
} {
  const all: RecordedEvent[] = [];
  for (const name of EVENT_NAMES) outbox.on(name, (payload) => all.push({ name, payload } as RecordedEvent));
  return {
    all,
    of: <E extends OutboxEventName>(name: E) => all.filter((event) => event.name === name).map((event) => event.payload as OutboxEvents[E]),
  };
}

/** Resolves with the next `name` event's payload. */
export function nextEvent<E extends OutboxEventName>(outbox: Outbox, name: E): Promise<OutboxEvents[E]> {
  return new Promise((resolve) => {
    const off = outbox.on(name, (payload) => {
      off();
      resolve(payload);
    });
  });
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error `run` throws synchronously; fails the test if it returns. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the call returned');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type StoreMethod = 'load' | 'putMany' | 'deleteMany' | 'setMeta' | 'close';

/**
 * A MemoryStore whose methods can be made to fail (`fail.add('putMany')`) and that counts its
 * calls. `delayMs` makes every write take that long (to catch the outbox mid-write).
 */
export class FaultyStore extends MemoryStore {
  readonly fail = new Set<StoreMethod>();
  readonly calls: Record<StoreMethod, number> = { load: 0, putMany: 0, deleteMany: 0, setMeta: 0, close: 0 };
  delayMs = 0;
  failure = (method: StoreMethod): Error => new Error(`simulated ${method} fault: disk full`);

  async #enter(method: StoreMethod): Promise<void> {
    this.calls[method]++;
    if (this.delayMs > 0 && method !== 'load' && method !== 'close') await sleep(this.delayMs);
    if (this.fail.has(method)) throw this.failure(method);
  }

  override async load(): Promise<StoreContents> {
    await this.#enter('load');
    return super.load();
  }

  override async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    await this.#enter('putMany');
    return super.putMany(entries);
  }

  override async deleteMany(keys: readonly string[]): Promise<void> {
    await this.#enter('deleteMany');
    return super.deleteMany(keys);
  }

  override async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    await this.#enter('setMeta');
    return super.setMeta(values);
  }

  override async close(): Promise<void> {
    await this.#enter('close');
    return super.close();
  }
}

/** Record ids of entries, sorted. */
export const idsOf = (entries: readonly OutboxEntry[]): string[] => entries.map((entry) => entry.record.id).sort();

/** Asserts that `mock` delivered each of `expected` exactly once (in any order). */
export function expectDeliveredOnce(mock: MockWorkspace, expected: readonly string[]): void {
  expect([...mock.deliveredIds()].sort()).toEqual([...expected].sort());
}
