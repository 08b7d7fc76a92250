// The client's tests: the call options that reach a mock, one mock per file, its last request.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { WorkspaceCallOptions } from '../../src/index.js';
import { startMockWorkspace, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';

/** Options that reach `mock` with its valid token; `overrides` replace any of them. */
export function callOptions(mock: MockWorkspace, overrides: Partial<WorkspaceCallOptions> = {}): WorkspaceCallOptions {
  return { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, ...overrides };
}

/**
 * Starts one mock for the file (closed after it) and clears its log and faults before each test.
 * Read `.current` inside tests.
 */
export function useMock(options?: MockWorkspaceOptions): { readonly current: MockWorkspace } {
  const holder: { current: MockWorkspace | undefined } = { current: undefined };
  beforeAll(async () => {
    holder.current = await startMockWorkspace(options);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  beforeEach(() => {
    holder.current?.reset();
  });
  return {
    get current(): MockWorkspace {
      if (holder.current === undefined) throw new Error('the mock has not started');
      return holder.current;
    },
  };
}

/** The last request the mock logged (fails when there is none). */
export function lastRequest(mock: MockWorkspace): MockWorkspace['requests'][number] {
  const request = mock.requests.at(-1);
  if (request === undefined) throw new Error('the mock received no request');
  return request;
}
