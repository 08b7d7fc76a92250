import type { TestProject } from 'vitest/node';
import { startMockWorkspace } from '../src/mock-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
    mockProjectId: string;
    mockToken: string;
    mockAk: string;
    mockSk: string;
  }
}

const credentials = { ak: 'AKBROWSERTEST', sk: 'sk-browser-test-secret' };

// The mock service runs in Node beside the browser; pages reach it cross-origin (CORS).
// Vitest may call this once per project: each call owns (and closes) its own mock.
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startMockWorkspace({ poisonIds: ['poison-1'], credentials: [credentials] });
  project.provide('mockUrl', mock.url);
  project.provide('mockProjectId', mock.projectId);
  project.provide('mockToken', mock.token);
  project.provide('mockAk', credentials.ak);
  project.provide('mockSk', credentials.sk);
  return () => mock.close();
}
