// The two subjects of the service-worker-replay bench, behind one interface: workbox-background-
// sync (bench/support/workbox-app) and our service-worker outbox (the tests' app,
// test/service-worker/app: `createOutbox({ sender: 'service-worker' })` in the page,
// `serveOutbox` in the worker, its token from the app's `/token`). Neither page has the token in
// its URL (the browser would keep it in its history): each asks the app for it.
import type { BrowserContext, Page } from 'playwright-core';
import { inPage, openApp, serveApp, workerQuery, type AppServer } from '../../test/helpers/service-worker-app.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import type { SwApi } from '../../test/service-worker/app/page.js';
import type { WorkboxApi } from './workbox-app/page.js';
import { serveWorkboxApp, type WorkboxAppServer } from './sw-replay-workbox-server.js';

export const WORKBOX = 'workbox-background-sync';
export const OURS = 'wks-mail-outbox';
export type SubjectName = typeof WORKBOX | typeof OURS;

/** Where the pages and workers send: the relay in front of the mock. */
export interface Target {
  readonly url: string;
  readonly mock: MockWorkspace;
}

/** A page of a subject's app, its worker registered and in control. */
export interface SubjectPage {
  readonly page: Page;
  /** Hands `ids` over as one batch (workbox: one POST; ours: one `enqueue`). */
  enqueue(ids: readonly string[]): Promise<void>;
}

export interface Subject {
  readonly name: SubjectName;
  /** Opens a page of the app sending to `target`, with the worker registered and in control. */
  open(context: BrowserContext, target: Target, run: string): Promise<SubjectPage>;
  /** Ids of the records still queued on the app's origin (read from its IndexedDB in a page of the origin). */
  queuedIds(context: BrowserContext, run: string): Promise<string[]>;
  /** What the subject's workers reported so far (ours: the tests' worker posts its events to the app), oldest first. */
  workerLog(): readonly string[];
  close(): Promise<void>;
}

async function appPage(context: BrowserContext, url: string, global: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction((name) => typeof (window as unknown as Record<string, unknown>)[name] === 'object', global, { timeout: 30_000 });
  return page;
}

/** In-page source: the `record.id` of every entry (key `e:…`) of our outbox's database `db`. */
const OUR_QUEUED_IDS = `async (db) => {
  const ask = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
  if (!(await indexedDB.databases()).some((info) => info.name === db)) return [];
  const database = await ask(indexedDB.open(db));
  try {
    if (!database.objectStoreNames.contains('entries')) return [];
    const store = database.transaction('entries', 'readonly').objectStore('entries');
    const [keys, values] = await Promise.all([ask(store.getAllKeys()), ask(store.getAll())]);
    return keys.flatMap((key, index) => (String(key).startsWith('e:') ? [values[index].record.id] : []));
  } finally { database.close(); }
}`;

export async function workboxSubject(): Promise<Subject> {
  const app: WorkboxAppServer = await serveWorkboxApp();
  const call = <T, A>(page: Page, run: (api: WorkboxApi, arg: A) => Promise<T>, arg: A): Promise<T> =>
    page.evaluate(([source, value]) => (0, eval)(source)((window as unknown as { wbApi: WorkboxApi }).wbApi, value), [run.toString(), arg] as const) as Promise<T>;
  return {
    name: WORKBOX,
    async open(context, target) {
      app.token = target.mock.token;
      const query = new URLSearchParams({ url: target.url, projectId: target.mock.projectId });
      const page = await appPage(context, `${app.origin}/?${query}`, 'wbApi');
      await call(page, (api) => api.register(), undefined);
      return {
        page,
        async enqueue(ids) {
          const status = await call(page, (api, list: string[]) => api.post(list), [...ids]);
          if (status !== 'network-error') throw new Error(`a POST meant to be queued was answered ${status}`);
        },
      };
    },
    async queuedIds(context) {
      const page = await appPage(context, `${app.origin}/`, 'wbApi');
      const ids = await call(page, (api) => api.queuedIds(), undefined);
      await page.close();
      return ids;
    },
    workerLog: () => [],
    close: () => app.close(),
  };
}

export async function oursSubject(): Promise<Subject> {
  const app: AppServer = await serveApp();
  return {
    name: OURS,
    async open(context, target, run) {
      app.token = target.mock.token;
      const relayed: MockWorkspace = { ...target.mock, url: target.url };
      const page = await openApp(context, app, relayed);
      await inPage(page, (api: SwApi, value: string) => api.register(value), workerQuery(relayed, { name: run, auth: 'script', batchSize: 20 }));
      // The page's outbox holds the token in memory only; with `sender: 'service-worker'` it never sends.
      await inPage(page, (api: SwApi, options: { name: string; token: string }) => api.create({ ...options, sender: 'service-worker' }), { name: run, token: target.mock.token });
      return {
        page,
        async enqueue(ids) {
          const added = await inPage(page, (api: SwApi, list: string[]) => api.enqueue(list), [...ids]);
          if (added !== ids.length) throw new Error(`enqueue added ${added} of ${ids.length} records`);
        },
      };
    },
    async queuedIds(context, run) {
      const page = await appPage(context, `${app.origin}/`, 'swApi');
      const ids = (await page.evaluate(`(${OUR_QUEUED_IDS})(${JSON.stringify(`wks-mail-outbox:${run}`)})`)) as string[];
      await page.close();
      return ids;
    },
    workerLog: () => app.log,
    close: () => app.close(),
  };
}
