// Pages of a worker-sending outbox in the harness's realm (`sender: 'service-worker'` unless
// told), closed after each test; and the sends a mock received, with their times.
import { afterEach } from 'vitest';
import { createOutbox, type BrowserOutboxOptions } from '../../../../src/browser.js';
import type { Outbox } from '../../../../src/index.js';
import type { MockRequest, MockWorkspace } from '../../../../src/mock-server.js';
import type { WorkerHarness } from './worker-scope.js';

/** Retry options that keep records retrying for the whole test. */
export const ENDLESS_RETRY = { minDelayMs: 50, maxDelayMs: 200, jitter: 0, maxAttempts: 10_000 } as const;

/** `openPage(harness, mock, overrides)`: a page's outbox, closed after the test. */
export function usePages(): (harness: WorkerHarness, mock: MockWorkspace, overrides?: Partial<BrowserOutboxOptions>) => Outbox {
  const pages: Outbox[] = [];
  afterEach(async () => {
    await Promise.allSettled(pages.splice(0).map((page) => page.close()));
  });
  return (harness, mock, overrides = {}) => {
    const page = createOutbox({
      endpoint: mock.url,
      projectId: mock.projectId,
      auth: { token: mock.token },
      sender: 'service-worker',
      retry: ENDLESS_RETRY,
      ...overrides,
      name: harness.name,
    });
    pages.push(page);
    return page;
  };
}

export const sendsOf = (mock: MockWorkspace): MockRequest[] => mock.requests.filter((request) => request.api === 'send');

/** The worker's options pointed at `mock` (token in the worker script), endless retries. */
export function workerOptions(mock: MockWorkspace) {
  return { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: ENDLESS_RETRY } as const;
}
