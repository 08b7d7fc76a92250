// Browser outboxes (the browser entry) under happy-dom: each with its own IndexedDB database in
// fake-indexeddb, pointed at a real mock service on 127.0.0.1, and all closed and deleted after
// each test.
import { afterEach } from 'vitest';
import { createOutbox, type BrowserOutboxOptions } from '../../src/browser.js';
import type { Outbox } from '../../src/index.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { FAST_RETRY } from './fast-retry.js';
import { useMocks, type StartMock } from './mock-service.js';

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

/** What a test may set on a browser outbox that `open()` points at a mock (`retry` merged over FAST_RETRY). */
export type BrowserOverrides = Partial<Omit<BrowserOutboxOptions, 'retry'>> & { retry?: BrowserOutboxOptions['retry'] };

/**
 * `startMock(options)` and `open(mock, overrides)` for browser outboxes. After each test the
 * outboxes are closed, then their databases deleted, then the mocks closed (vitest runs
 * after-hooks in reverse order).
 */
export function useBrowserOutboxes(): {
  startMock: StartMock;
  open: (mock: MockWorkspace, overrides?: BrowserOverrides) => Outbox;
} {
  const startMock = useMocks();
  const outboxes: Outbox[] = [];
  const databases = new Set<string>();
  afterEach(async () => {
    await Promise.allSettled(outboxes.splice(0).map((outbox) => outbox.close()));
    for (const name of databases) await deleteDatabase(name);
    databases.clear();
  });
  return {
    startMock,
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
