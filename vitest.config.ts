import { defineConfig } from 'vitest/config';

// Node tests in two projects, both run by `npm test`:
// - fast: the logic (engine, stores, client, mock, hostile servers, clocks, disks in-process);
//   `npm run test:fast` while working.
// - e2e: real processes and browsers (the CLI as a child, SIGKILL crash tests, lock holders in
//   other processes, Chromium tabs, the demos).
// Files named *.dom.test.ts run under happy-dom with fake-indexeddb.
const E2E = [
  'test/cli/**/*.test.ts',
  'test/tabs/**/*.test.ts',
  'test/service-worker/**/*.test.ts',
  'test/attack/service-worker/**/*.e2e.test.ts',
  'test/demo/**/*.test.ts',
  'test/file-store/crash-sigkill.test.ts',
  'test/file-store/lock.test.ts',
  'test/file-store/a-journal-over-2-gib-opens.test.ts',
  'test/attack/processes.test.ts',
  'test/attack/engine-seams/cli-maintenance.test.ts',
  'test/attack/newcomer/cli-*.test.ts',
  'test/postgres/fleet-processes.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup/dom-setup.ts'],
    globalSetup: ['test/setup/postgres-server.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: E2E, environment: 'node' } },
      { extends: true, test: { name: 'e2e', include: E2E, environment: 'node' } },
    ],
  },
});
