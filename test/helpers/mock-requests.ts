// What the mock service received, as a test asks about it.
import { expect } from 'vitest';
import type { MockRequest, MockWorkspace } from '../../src/mock-server.js';

/** The send requests the mock received (listing calls and stray paths left out). */
export function sends(mock: MockWorkspace): MockRequest[] {
  return mock.requests.filter((request) => request.api === 'send');
}

/** Ids of the records a request carried. */
export function idsOf(request: MockRequest): string[] {
  return (request.records ?? []).map((record) => record.id);
}

/** Asserts that `mock` delivered each of `expected` exactly once (in any order). */
export function expectDeliveredOnce(mock: MockWorkspace, expected: readonly string[]): void {
  expect([...mock.deliveredIds()].sort()).toEqual([...expected].sort());
}
