import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumExecutable } from './test-browser/chromium.js';

// The library in real Chromium: IndexedDB, Web Locks, BroadcastChannel, CORS against the mock.
export default defineConfig({
  test: {
    include: ['test-browser/**/*.browser.test.ts'],
    globalSetup: ['test-browser/global-setup.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: chromiumExecutable, args: chromiumArgs } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
