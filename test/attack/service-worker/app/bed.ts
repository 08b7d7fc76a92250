// What every Chromium attack file shares: the attack app served once per file, a page of it with
// the worker registered and an outbox created, the worker stopped on demand (DevTools'
// ServiceWorker.stopAllWorkers, as the browser does to an idle worker), and waits on the log.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { WorkerTestBed } from '../../../helpers/service-worker-app.js';
import { until } from '../../../helpers/until.js';
import type { CreateOptions } from './page.js';
import { attackIn, attackWorkerQuery, openAttackPage, openSlices, serveAttackApp, type AttackApp } from './serve.js';

/** The attack app for the tests of one file (started before them, closed after). */
export function useAttackApp(): () => AttackApp {
  let app: AttackApp | undefined;
  beforeAll(async () => {
    app = await serveAttackApp();
  }, 60_000);
  // Each test reads the log of its own browser only.
  beforeEach(() => void (app?.log.splice(0), app?.tokenAsks.splice(0)));
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('the attack app is not up');
    return app;
  };
}

export type WorkerSetup = Parameters<typeof attackWorkerQuery>[1] & { module?: boolean };

/** A page with the worker registered (`worker`, unless undefined) and an outbox created (`create`, token: the mock's). */
export async function attackPage(bed: WorkerTestBed, app: AttackApp, worker: WorkerSetup | undefined, create: Omit<CreateOptions, 'token'> & { token?: string }): Promise<Page> {
  const page = await openAttackPage(bed.context, app, bed.mock);
  if (worker) {
    const registered = await attackIn(page, (api, [query, module]) => api.register(query, { module }), [attackWorkerQuery(bed.mock, worker), worker.module ?? false] as const);
    if (registered !== 'registered') throw new Error(`the worker was not registered: ${registered}`);
  }
  await attackIn(page, (api, options) => api.create(options), { token: bed.mock.token, ...create });
  return page;
}

/** Stops every service worker of the browser (as Chromium does when one is idle) and waits until they are stopped. */
export async function stopWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  let running = Infinity;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Array<{ runningStatus: string }> }) => {
    running = versions.filter((version) => version.runningStatus !== 'stopped').length;
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await until(() => running === 0, 'every service worker to stop', 20_000);
  await cdp.detach();
}

/** Until the worker has begun at least `count` slices and every one of them has ended. */
export async function untilSlicesEnd(app: AttackApp, what: string, timeoutMs: number, count = 1): Promise<void> {
  try {
    await until(() => app.log.filter((line) => / wait-start /.test(line)).length >= count && openSlices(app.log) === 0, what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the worker's last lines:\n${app.log.slice(-25).join('\n')}`);
  }
}
