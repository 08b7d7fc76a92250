import { afterAll, afterEach } from 'vitest';
import { startMockWorkspace, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';

/** Starts a real mock Workspace service on 127.0.0.1. */
export type StartMock = (options?: MockWorkspaceOptions) => Promise<MockWorkspace>;

/**
 * Returns `startMock(options)`. Every mock it started is closed after each test, or after the
 * file with `scope: 'file'` (for files whose scenarios run concurrently).
 */
export function useMocks(scope: 'test' | 'file' = 'test'): StartMock {
  const open: MockWorkspace[] = [];
  (scope === 'test' ? afterEach : afterAll)(async () => {
    await Promise.all(open.splice(0).map((mock) => mock.close()));
  });
  return async (options) => {
    const mock = await startMockWorkspace(options);
    open.push(mock);
    return mock;
  };
}
