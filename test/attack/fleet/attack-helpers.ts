// Small tools of the fleet attack tests: who delivered what (from the mock's log), and plain SQL
// on a test schema. The workers, pools and mocks come from the project's own helpers.
import type pg from 'pg';
import type { MockRequest, MockWorkspace } from '../../../src/mock-server.js';

/** Each record id the mock answered 200 for more than once, with how many times. */
export function deliveredTwice(mock: MockWorkspace): Record<string, number> {
  const counts = new Map<string, number>();
  for (const id of mock.deliveredIds()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/** The send requests that carried `id` (any answer). */
export function sendsOf(mock: MockWorkspace, id: string): MockRequest[] {
  return mock.requests.filter((request) => request.api === 'send' && (request.records ?? []).some((record) => record.id === id));
}

/** The delivered (200) copies of `id`, as the mock received them. */
export function deliveredCopies(mock: MockWorkspace, id: string): Array<Record<string, unknown>> {
  return mock.requests
    .filter((request) => request.api === 'send' && request.status === 200)
    .flatMap((request) => (request.records ?? []).filter((record) => record.id === id) as unknown as Array<Record<string, unknown>>);
}

/** Rows of `schema`.entries as they are stored (key, state, lease owner, the entry's text). */
export async function rowsOf(pool: pg.Pool, schema: string): Promise<Array<{ key: string; state: string; lease_owner: string | null; entry: string }>> {
  const { rows } = await pool.query(`SELECT key, state, lease_owner, entry FROM "${schema}".entries ORDER BY seq`);
  return rows as Array<{ key: string; state: string; lease_owner: string | null; entry: string }>;
}

/** Busy-waits `ms` of real time: the event loop of this process stands still meanwhile. */
export function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}
