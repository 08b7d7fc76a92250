// Chromium for the service-worker-replay bench: the tests' AppBrowser (its own process group, a
// profile directory, SIGKILL and relaunch on the same profile), started with Background Sync's
// retry delays scaled down, and a search of the profile's bytes for a secret.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromiumArgs } from '../../test-browser/chromium.js';
import type { AppBrowser } from '../../test/helpers/service-worker-app.js';

/**
 * Chromium's one-shot sync schedule: a failed `sync` event is fired again after
 * `initial_retry_delay × factor^(attempt − 1)`, 3 attempts in all (then the registration is
 * dropped). Chromium's defaults are 5 min and 3 (5 min, then 15 min); the bench keeps the
 * number of attempts and the factor, and scales the delay 1:60 (5 s, then 15 s) through
 * Chromium's own field-trial parameters, so a run takes minutes rather than an hour.
 */
export const SYNC_SCHEDULE = { attempts: 3, initialRetrySec: 5, factor: 3, chromiumInitialRetrySec: 300 } as const;

const SYNC_FLAGS = [
  '--force-fieldtrials=BackgroundSync/Bench',
  `--force-fieldtrial-params=BackgroundSync.Bench:initial_retry_delay_sec/${SYNC_SCHEDULE.initialRetrySec}/retry_delay_factor/${SYNC_SCHEDULE.factor}/max_sync_attempts/${SYNC_SCHEDULE.attempts}`,
];

/**
 * `browser.launch()` with the sync flags. AppBrowser spawns Chromium with the shared
 * `chromiumArgs` synchronously when `launch()` is called: the flags are added for that call only.
 */
export function launchWithSyncSchedule(browser: AppBrowser): Promise<BrowserContext> {
  chromiumArgs.push(...SYNC_FLAGS);
  try {
    return browser.launch();
  } finally {
    chromiumArgs.splice(chromiumArgs.length - SYNC_FLAGS.length, SYNC_FLAGS.length);
  }
}

/** Files under `dir` (relative paths) whose bytes hold `secret`, as UTF-8/Latin-1 or as UTF-16LE. */
export async function filesHolding(dir: string, secret: string): Promise<string[]> {
  const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes && forms.some((form) => bytes.includes(form))) found.push(relative(dir, path));
  }
  return found;
}
