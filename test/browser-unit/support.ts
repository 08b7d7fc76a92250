// Shared by the happy-dom tests of the browser entry: a real mock service on 127.0.0.1, browser
// outboxes pointed at it (each with its own IndexedDB database in fake-indexeddb), and the Web
// Locks API that happy-dom lacks (its `navigator.locks` is null). Everything opened here is
// closed after each test.
import { afterEach } from 'vitest';
import { createOutbox, type BrowserOutboxOptions } from '../../src/browser.js';
import { startMockWorkspace, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';
import type { Outbox, OutboxEventName, OutboxEvents } from '../../src/index.js';
import { FAST_RETRY } from '../outbox/support.js';

export { makeRecords, nextEvent, sleep, until } from '../outbox/support.js';

/** Deletes an IndexedDB database (fake-indexeddb here); open connections are asked to close. */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

let counter = 0;
/** An outbox name no other test uses (so no two tests share a database, lock or channel). */
export const uniqueName = (what: string): string => `${what}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`;

export type BrowserOverrides = Partial<Omit<BrowserOutboxOptions, 'retry'>> & { retry?: BrowserOutboxOptions['retry'] };

/**
 * `startMock(options)` and `open(mock, overrides)` for browser outboxes. After each test the
 * outboxes are closed, then their databases deleted, then the mocks closed.
 */
export function useBrowserOutboxes(): {
  startMock: (options?: MockWorkspaceOptions) => Promise<MockWorkspace>;
  open: (mock: MockWorkspace, overrides?: BrowserOverrides) => Outbox;
} {
  const mocks: MockWorkspace[] = [];
  const outboxes: Outbox[] = [];
  const databases = new Set<string>();
  afterEach(async () => {
    await Promise.allSettled(outboxes.splice(0).map((outbox) => outbox.close()));
    for (const name of databases) await deleteDatabase(name);
    databases.clear();
    await Promise.allSettled(mocks.splice(0).map((mock) => mock.close()));
  });
  return {
    startMock: async (options) => {
      const mock = await startMockWorkspace(options);
      mocks.push(mock);
      return mock;
    },
    open: (mock, overrides = {}) => {
      const name = overrides.name ?? uniqueName('outbox');
      databases.add(`wks-mail-outbox:${name}`);
      const outbox = createOutbox({
        endpoint: mock.url,
        projectId: mock.projectId,
        auth: { token: mock.token },
        ...overrides,
        name,
        retry: { ...FAST_RETRY, ...overrides.retry },
      });
      outboxes.push(outbox);
      return outbox;
    },
  };
}

/** Every payload of one event of `outbox`, in order (a live array). */
export function collect<E extends OutboxEventName>(outbox: Outbox, name: E): Array<OutboxEvents[E]> {
  const seen: Array<OutboxEvents[E]> = [];
  outbox.on(name, (event) => seen.push(event));
  return seen;
}

/**
 * A small, faithful Web Locks `LockManager` (exclusive locks only, granted in request order,
 * released when the callback's promise settles), enough for the tab coordinator.
 */
export class InProcessLockManager {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly #held = new Set<string>();

  request<T>(name: string, optionsOrCallback: LockOptions | LockGrantedCallback<T>, maybeCallback?: LockGrantedCallback<T>): Promise<T> {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as LockGrantedCallback<T>;
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    if (options.mode === 'shared') return Promise.reject(new DOMException('shared locks are not modelled', 'NotSupportedError'));
    return new Promise<T>((resolve, reject) => {
      const grant = () => {
        this.#held.add(name);
        Promise.resolve()
          .then(() => callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => this.#release(name));
      };
      if (!this.#held.has(name)) grant();
      else {
        const queue = this.#queues.get(name) ?? [];
        queue.push(grant);
        this.#queues.set(name, queue);
      }
    });
  }

  async query(): Promise<LockManagerSnapshot> {
    return {
      held: [...this.#held].map((name) => ({ name, mode: 'exclusive' as const })),
      pending: [...this.#queues].flatMap(([name, queue]) => queue.map(() => ({ name, mode: 'exclusive' as const }))),
    };
  }

  #release(name: string): void {
    this.#held.delete(name);
    const next = this.#queues.get(name)?.shift();
    if (next) next();
  }
}

/** Gives `navigator` a Web Locks API for one test; returns the function that takes it away again. */
export function installWebLocks(): () => void {
  Object.defineProperty(navigator, 'locks', { value: new InProcessLockManager(), configurable: true });
  return () => {
    delete (navigator as { locks?: unknown }).locks;
  };
}

/** Makes `navigator.onLine` answer `online()` until the returned function restores it. */
export function stubOnLine(online: () => boolean): () => void {
  Object.defineProperty(navigator, 'onLine', { get: online, configurable: true });
  return () => {
    delete (navigator as { onLine?: unknown }).onLine;
  };
}
