import { afterEach } from 'vitest';
import { createOutbox, type Outbox, type OutboxOptions } from '../../src/index.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { FAST_RETRY } from './fast-retry.js';
import { useMocks, type StartMock } from './mock-service.js';
import { within } from './within.js';

/** What a test may set on an outbox that `open()` points at a mock (`retry` merged over FAST_RETRY). */
export type OutboxOverrides = Partial<Omit<OutboxOptions, 'retry'>> & { retry?: OutboxOptions['retry'] };

/**
 * Returns `startMock(mockOptions)` and `open(mock, overrides)`: an outbox (core entry, memory
 * store unless one is given) pointed at the mock with its token, retrying with FAST_RETRY under
 * any `retry` given. After each test its outboxes are closed, then its mocks (vitest runs
 * after-hooks in reverse order), so no request or timer outlives its test.
 */
export function useOutboxes(): {
  startMock: StartMock;
  open: (mock: MockWorkspace, overrides?: OutboxOverrides) => Outbox;
} {
  const startMock = useMocks();
  const outboxes: Outbox[] = [];
  afterEach(async (context) => {
    const opened = outboxes.splice(0);
    // The outboxes of a failed test are left alone: a broken one may never settle close() (or
    // spin in it), which would take the rest of the file down with it. After a passing test a
    // close() that rejects or hangs is a failure of its own.
    if (context.task.result?.state === 'fail') return;
    await within(Promise.all(opened.map((outbox) => outbox.close())), 'closing the outboxes the test opened');
  });
  return {
    startMock,
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
