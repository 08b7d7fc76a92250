// Shared by the outbox tests: a real mock service on 127.0.0.1, an outbox pointed at it, and a
// log of every event the outbox emitted. Everything opened here is closed after each test.
import { afterEach } from 'vitest';
import {
  createOutbox,
  type Outbox,
  type OutboxEventName,
  type OutboxEvents,
  type OutboxOptions,
} from '../../src/index.js';
import { startMockWorkspace, type MockRequest, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';

/** Fast, deterministic retries: small delays, no jitter. Tests override what they are about. */
export const FAST_RETRY = { minDelayMs: 10, maxDelayMs: 200, jitter: 0 } as const;

export type OutboxOverrides = Partial<Omit<OutboxOptions, 'retry'>> & { retry?: OutboxOptions['retry'] };

/**
 * Returns `start(mockOptions)` and `open(mock, overrides)`. Outboxes are closed, then mocks,
 * after each test (also when it failed), so no request or timer outlives its test.
 */
export function useOutboxes(): {
  startMock: (options?: MockWorkspaceOptions) => Promise<MockWorkspace>;
  open: (mock: MockWorkspace, overrides?: OutboxOverrides) => Outbox;
} {
  const mocks: MockWorkspace[] = [];
  const outboxes: Outbox[] = [];
  afterEach(async (context) => {
    // The outboxes of a failed test are left alone: a broken one may never settle close() (or
    // spin in it), which would take the rest of the file down with it.
    const open = outboxes.splice(0);
    if (context.task.result?.state !== 'fail') {
      await Promise.race([Promise.allSettled(open.map((outbox) => outbox.close())), sleep(2_000)]);
    }
    await Promise.allSettled(mocks.splice(0).map((mock) => mock.close()));
  });
  return {
    startMock: async (options) => {
      const mock = await startMockWorkspace(options);
      mocks.push(mock);
      return mock;
    },
    open: (mock, overrides = {}) => {
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

/** `count` records `{ id: prefix + index }`, ids zero-padded so they sort in enqueue order. */
export function makeRecords(count: number, prefix = 'r'): Array<{ id: string }> {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}${String(index).padStart(width, '0')}` }));
}

/** One emitted event, with the wall-clock time it was seen and its place among all events of the outbox. */
export interface Seen<E extends OutboxEventName> {
  at: number;
  seq: number;
  event: OutboxEvents[E];
}

/** Every event an outbox emits, by name, in order. */
export type EventLog = { [E in OutboxEventName]: Array<Seen<E>> } & {
  /** Names in emission order, for ordering assertions. */
  order: OutboxEventName[];
};

const EVENT_NAMES: readonly OutboxEventName[] = [
  'enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error',
];

/** Subscribes to every event of `outbox` and keeps them (with the time each was seen). */
export function recordEvents(outbox: Outbox): EventLog {
  const log = { order: [] } as unknown as EventLog;
  for (const name of EVENT_NAMES) {
    const seen: Array<Seen<typeof name>> = [];
    (log as unknown as Record<string, unknown>)[name] = seen;
    outbox.on(name, (event) => {
      seen.push({ at: Date.now(), seq: log.order.length, event });
      log.order.push(name);
    });
  }
  return log;
}

/** The send requests the mock received (listing calls and stray paths left out). */
export function sends(mock: MockWorkspace): MockRequest[] {
  return mock.requests.filter((request) => request.api === 'send');
}

/** Ids of the records a request carried. */
export function idsOf(request: MockRequest): string[] {
  return (request.records ?? []).map((record) => record.id);
}

/** Ids that occur more than once in `ids`. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

/**
 * Resolves once `condition()` holds (polled on real timers); rejects after `timeoutMs`, a deadline
 * generous enough for a machine whose cores are all busy (it only bounds a hang).
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves on the next `name` event of `outbox`. */
export function nextEvent<E extends OutboxEventName>(outbox: Outbox, name: E): Promise<OutboxEvents[E]> {
  return new Promise((resolve) => {
    const off = outbox.on(name, (event) => {
      off();
      resolve(event);
    });
  });
}

/** Real-time pause (a few tens of ms) to show that something does NOT happen meanwhile. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`, or a rejection naming `what` after `ms`: a hang fails with a clear message before the
 * test timeout. The default is generous (a busy machine must not fail a test that only waits).
 */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still unsettled after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
