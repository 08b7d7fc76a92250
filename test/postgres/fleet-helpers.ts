// Workers of one PostgreSQL queue in this process: each its own pool (as separate processes
// would have), a counting fetch that still goes over real HTTP to the mock, closed after each test.
import { afterEach } from 'vitest';
import { createOutbox, type PostgresOutbox, type PostgresOutboxOptions } from '../../src/postgres.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { FAST_RETRY } from '../helpers/fast-retry.js';
import { within } from '../helpers/within.js';
import type { usePostgres } from '../helpers/postgres.js';

export interface Worker {
  outbox: PostgresOutbox;
  /** Record ids this worker put in a request, in order. */
  sent: string[];
}

export function useWorkers(pg: ReturnType<typeof usePostgres>): (mock: MockWorkspace, schema: string, options?: Partial<PostgresOutboxOptions>) => Worker {
  const open: PostgresOutbox[] = [];
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((outbox) => within(outbox.close(), 'close', 10_000)));
  });
  return (mock, schema, options = {}) => {
    const sent: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (typeof init?.body === 'string') sent.push(...(JSON.parse(init.body) as { records: Array<{ id: string }> }).records.map((r) => r.id));
      return globalThis.fetch(input, init);
    }) as typeof globalThis.fetch;
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, retry: FAST_RETRY, pool: pg.pool(3), schema, pollMs: 100, fetch, ...options });
    open.push(outbox);
    return { outbox, sent };
  };
}
