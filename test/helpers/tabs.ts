// Several real tabs: Chromium through playwright-core, a tiny page served by vite from 127.0.0.1
// (test/tabs/page, which imports src/browser.ts), and the mock service in this process, reached
// cross-origin (CORS). Each test gets one browser context (one origin's storage, shared by its
// tabs); the browser and the page server live for the file.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { DrainSummary, OutboxEntry, OutboxEventName, PauseReason } from '../../src/index.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import type { OutboxRole, OutboxSnapshot } from '../../src/outbox/snapshot.js';
import { chromiumArgs, chromiumExecutable } from '../../test-browser/chromium.js';
import type { SeenEvent, TabOutboxOptions, ThrownError } from '../tabs/page/api.js';
import { sends } from './mock-requests.js';
import { repoRoot } from './repo-root.js';

/** Serves test/tabs/page on 127.0.0.1; vite compiles the TypeScript of the page and of src/. */
async function servePage(): Promise<{ server: ViteDevServer; origin: string }> {
  const server = await createServer({
    configFile: false,
    root: join(repoRoot, 'test/tabs/page'),
    cacheDir: join(tmpdir(), 'wks-mail-outbox-tabs-vite'),
    logLevel: 'error',
    clearScreen: false,
    // The dependencies are ESM already: serving them as they are avoids a re-optimisation (and a
    // page reload) in the middle of a test.
    optimizeDeps: { noDiscovery: true, include: ['zod/mini', 'p-retry', 'idb-keyval'] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null, fs: { allow: [repoRoot] } },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the page server has no TCP address');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

/** One tab: a page of the test origin with an outbox driven through `window.tabApi`. */
export class Tab {
  readonly page: Page;
  /** Uncaught errors of the page (a test may assert there are none). */
  readonly pageErrors: string[] = [];

  constructor(page: Page) {
    this.page = page;
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
  }

  /** Loads the page (again) and waits until its API is there. */
  async load(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForFunction(() => typeof window.tabApi === 'object');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.waitForFunction(() => typeof window.tabApi === 'object');
  }

  create(options: TabOutboxOptions): Promise<void> {
    return this.page.evaluate((opts) => window.tabApi.create(opts), options);
  }

  /** Enqueues `{ id }` records; throws in the test process if the page's enqueue threw. */
  async enqueue(ids: string[]): Promise<number> {
    const result = await this.page.evaluate((list) => window.tabApi.enqueue(list), ids);
    if ('error' in result) throw new Error(`enqueue failed in the page: ${result.error.name}: ${result.error.message}`);
    return result.added;
  }

  /** Enqueues `{ id }` records one `enqueue()` call each; resolves with the number added. */
  enqueueOneByOne(ids: string[]): Promise<number> {
    return this.page.evaluate((list) => window.tabApi.enqueueOneByOne(list), ids);
  }

  /** Enqueues records with extra fields; returns the page's outcome as data. */
  enqueueWith(ids: string[], extra: Record<string, string>): Promise<{ added: number } | { error: ThrownError }> {
    return this.page.evaluate(([list, fields]) => window.tabApi.enqueue(list, fields), [ids, extra] as const);
  }

  drain(): Promise<DrainSummary> {
    return this.page.evaluate(() => window.tabApi.drain());
  }

  flush(): Promise<DrainSummary> {
    return this.page.evaluate(() => window.tabApi.flush());
  }

  pause(reason: PauseReason): Promise<void> {
    return this.page.evaluate((r) => window.tabApi.pause(r), reason);
  }

  async eventsOf<E extends OutboxEventName>(name: E): Promise<Array<Extract<SeenEvent, { name: E }>>> {
    return (await this.page.evaluate((n) => window.tabApi.events(n), name as OutboxEventName)) as Array<Extract<SeenEvent, { name: E }>>;
  }

  count(name: OutboxEventName): Promise<number> {
    return this.page.evaluate((n) => window.tabApi.count(n), name);
  }

  role(): Promise<OutboxRole> {
    return this.page.evaluate(() => window.tabApi.role());
  }

  snapshot(): Promise<OutboxSnapshot> {
    return this.page.evaluate(() => window.tabApi.snapshot());
  }

  pending(): Promise<OutboxEntry[]> {
    return this.page.evaluate(() => window.tabApi.pending());
  }

  indexedDbText(): Promise<string> {
    return this.page.evaluate(() => window.tabApi.indexedDbText());
  }

  putManyLarge(name: string, count: number, bytes: number): Promise<{ error: ThrownError | undefined; storedIds: string[] }> {
    return this.page.evaluate(([n, c, b]) => window.tabApi.putManyLarge(n, c, b), [name, count, bytes] as const);
  }

  /** Waits until this tab has seen at least `atLeast` events of `name`. */
  async waitForCount(name: OutboxEventName, atLeast: number, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForFunction(([n, least]) => window.tabApi.count(n) >= least, [name, atLeast] as const, {
      timeout: timeoutMs,
      polling: 25,
    });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

export interface Tabs {
  /** The page server's origin, e.g. http://127.0.0.1:5173. */
  origin(): string;
  /** A fresh browser context (its own storage), closed after the test. */
  newContext(): Promise<BrowserContext>;
  /** Opens a tab of `context` on the page, pointed at `mock`. */
  openTab(context: BrowserContext, mock: MockWorkspace): Promise<Tab>;
}

/** Starts Chromium and the page server for the file; contexts are closed after each test. */
export function useTabs(): Tabs {
  let browser: Browser | undefined;
  let server: ViteDevServer | undefined;
  let origin = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [launched, served] = await Promise.all([chromium.launch({ executablePath: chromiumExecutable, args: chromiumArgs }), servePage()]);
    browser = launched;
    server = served.server;
    origin = served.origin;
  });
  afterEach(async () => {
    await Promise.allSettled(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), server?.close()]);
  });

  return {
    origin: () => origin,
    newContext: async () => {
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext();
      contexts.push(context);
      return context;
    },
    openTab: async (context, mock) => {
      const tab = new Tab(await context.newPage());
      const query = new URLSearchParams({ url: mock.url, projectId: mock.projectId, token: mock.token });
      await tab.load(`${origin}/?${query}`);
      return tab;
    },
  };
}

/**
 * How often the service processed each record id: sends it answered 200, and sends without a
 * fault whose answer was lost because the tab went away (the mock had acted on those already;
 * valid only where no record is refused, as the log no longer says what a dropped send got).
 */
export function processedCounts(mock: MockWorkspace): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of sends(mock)) {
    const processed = request.fault === undefined && (request.status === 200 || request.status === 'dropped');
    if (!processed) continue;
    for (const record of request.records ?? []) counts.set(record.id, (counts.get(record.id) ?? 0) + 1);
  }
  return counts;
}
