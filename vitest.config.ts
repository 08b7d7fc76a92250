import { defineConfig } from 'vitest/config';

// Unit and integration tests in Node (real HTTP against the mock service on 127.0.0.1).
// Files named *.dom.test.ts run under happy-dom with fake-indexeddb.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup/dom-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
