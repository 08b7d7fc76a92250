// `npm run demo:web -- --service-worker`, driven in real Chromium: the console registers its
// service worker (demo/web/sw.ts, bundled by the demo server as /sw.js), which sends what the tab
// stores, also after the tab is closed. The mock service runs inside the demo process; what it
// received is read from the demo's `/deliveries.json` (ids of the records it answered 200), which
// the console also shows as "Received by the service".
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/browser.js';
import { chromiumArgs, chromiumExecutable } from '../../test-browser/chromium.js';
import { repoRoot } from '../helpers/repo-root.js';
import { spawnTs, type TsChild } from '../helpers/spawn-ts.js';

const SERVE = new URL('../../demo/web/serve.ts', import.meta.url);
const STARTUP = /^web console: (http:\/\/127\.0\.0\.1:\d+\/) +\((.*); mock Workspace service on (http:\/\/127\.0\.0\.1:\d+);/;

type DemoWindow = Window & { outbox: Outbox; sendings?: number };

interface WebDemo {
  readonly child: TsChild;
  /** The page's address and the run mode, as printed. */
  readonly url: string;
  readonly mode: string;
  stop(): Promise<void>;
}

/** Starts demo/web/serve.ts (what `npm run demo:web` runs) and reads the line it prints. */
async function startWebDemo(args: string[], env: Record<string, string> = {}): Promise<WebDemo> {
  const child = spawnTs(SERVE, args, { env: { PORT: '0', WKS_DEMO_SW: '', ...env } });
  const stop = async () => {
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => void child.kill(), 10_000);
    await child.exited;
    clearTimeout(timer);
  };
  try {
    const line = await child.waitForLine((text) => STARTUP.test(text), 60_000);
    const [, url = '', mode = ''] = STARTUP.exec(line) ?? [];
    return { child, url, mode, stop };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

/** Ids of the records the mock service answered 200, duplicates kept. */
async function deliveredIds(demo: WebDemo): Promise<string[]> {
  const response = await fetch(new URL('deliveries.json', demo.url), { cache: 'no-store' });
  expect(response.headers.get('cache-control')).toBe('no-store');
  return ((await response.json()) as { ids: string[] }).ids;
}

/** The record numbers (the console names records `mail-<batch>-<n>`), sorted. */
const numbersOf = (ids: string[]) => ids.map((id) => Number(/^mail-[a-z0-9]+-(\d+)$/.exec(id)?.[1] ?? Number.NaN)).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

async function enqueueThroughForm(page: Page, count: number): Promise<void> {
  await page.getByLabel('Records to enqueue').fill(String(count));
  await page.getByRole('button', { name: 'Enqueue' }).click();
}

describe('the web console with its service worker (npm run demo:web -- --service-worker)', () => {
  let demo: WebDemo;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  /** The ids the first tab's five records were delivered as. */
  let firstFive: string[] = [];

  /** Opens the console; resolves once its worker is active and the page says the worker sends. */
  async function openConsole(label: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${label}: ${String(error)}`));
    const consoleLines: string[] = [];
    page.on('console', (message) => void consoleLines.push(`${message.type()}: ${message.text()}`));
    await page.goto(demo.url);
    try {
      await page.waitForFunction(() => document.body.dataset.worker === 'activated' && document.body.dataset.coordination === 'follower', null, {
        timeout: 45_000,
        polling: 100,
      });
    } catch (error) {
      const shown = await page
        .evaluate(() => ['worker-state', 'coordination', 'role'].map((id) => document.getElementById(id)?.textContent).join(' | '))
        .catch((e: unknown) => String(e));
      if (error instanceof Error) error.message += `\n${label} shows: ${shown}\nits console: ${consoleLines.join('; ')}\ndemo stderr: ${demo.child.stderr()}`;
      throw error;
    }
    return page;
  }

  /** What the page and the worker hold, and what the service received, for failure messages. */
  async function describeState(page: Page | undefined): Promise<string> {
    const snapshot = `({ role, counts, pausedReason }) => JSON.stringify({ role, counts, pausedReason })`;
    const read = async (where: { evaluate(code: string): Promise<unknown> } | undefined) =>
      where ? String(await where.evaluate(`(${snapshot})(globalThis.outbox.getSnapshot())`).catch((e: unknown) => String(e))) : 'none';
    const delivered = await deliveredIds(demo).then((ids) => ids.length, (e: unknown) => String(e));
    return `page: ${await read(page)}; worker: ${await read(context.serviceWorkers()[0])}; received by the service: ${delivered}`;
  }

  /** Runs `work`; if it fails, the error also tells the state of the page and the worker. */
  async function explained<T>(page: Page | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Error) error.message += `\nstate: ${await describeState(page)}`;
      throw error;
    }
  }

  beforeAll(async () => {
    demo = await startWebDemo(['--service-worker']);
    browser = await chromium.launch({ executablePath: chromiumExecutable, args: chromiumArgs, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  }, 30_000);

  it('says at start that the service worker sends (also with WKS_DEMO_SW=1), and tabs mode without the switch', async () => {
    expect(demo.mode).toBe('mode: service worker, it sends also with no tab open');
    for (const [args, env, mode] of [
      [[], { WKS_DEMO_SW: '1' }, 'mode: service worker, it sends also with no tab open'],
      [[], {}, 'mode: tabs, one tab sends'],
    ] as const) {
      const other = await startWebDemo([...args], env);
      try {
        expect(other.mode).toBe(mode);
      } finally {
        await other.stop();
      }
    }
  }, 120_000);

  it('the console registers the worker, shows that it sends, and counts what it delivers', async () => {
    const page = await openConsole('first tab');
    expect(await page.textContent('#role')).toContain('The service worker sends the queue');
    expect(await page.textContent('#coordination')).toMatch(/^Coordination: this tab is follower \(the service worker sends/);
    expect(await page.isVisible('#worker-panel')).toBe(true);
    // The token reaches the worker same-origin, never through its script URL (kept with the registration).
    const script = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL ?? '');
    const config = (await (await fetch(new URL('config.json', demo.url))).json()) as { url: string; projectId: string; token: string };
    expect(new URL(script).searchParams.get('endpoint')).toBe(config.url);
    expect(script).not.toContain(config.token);
    const tokenAnswer = await fetch(new URL('worker-token', demo.url));
    expect(tokenAnswer.headers.get('cache-control')).toBe('no-store');

    try {
      await enqueueThroughForm(page, 5);
      await explained(page, () => page.waitForFunction(() => Number(document.getElementById('count-sent')?.textContent) >= 5, null, { timeout: 60_000, polling: 100 }));
      expect(await page.textContent('#count-sent')).toBe('5');
      await page.waitForFunction(() => document.getElementById('count-service')?.textContent === '5', null, { timeout: 15_000, polling: 100 });
      firstFive = await deliveredIds(demo);
      expect(numbersOf(firstFive)).toEqual(range(0, 5));
      const screenshots = join(repoRoot, 'test-results', 'screenshots');
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'web-console-service-worker.png'), fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);

  it('records enqueued before the tab is closed are delivered by the worker after it is gone, each once', async () => {
    const page = await openConsole('second tab');
    const total = 5 + 150;
    await page.evaluate(() => {
      const w = window as unknown as DemoWindow;
      w.sendings = 0;
      w.outbox.on('sending', () => void (w.sendings = (w.sendings ?? 0) + 1));
    });
    try {
      await enqueueThroughForm(page, 150);
      // The worker has started on them (its events reach the tab), then the tab goes away.
      await explained(page, () => page.waitForFunction(() => ((window as unknown as DemoWindow).sendings ?? 0) > 0, null, { timeout: 60_000, polling: 50 }));
    } finally {
      await page.close();
    }
    expect(context.pages()).toEqual([]);
    const atClose = (await deliveredIds(demo)).length;
    // 15 sends of 10 records, each answered after 250 ms: most are still waiting when the tab is gone.
    expect(atClose, 'the worker had delivered everything before the tab closed: nothing was shown').toBeLessThan(total);

    await explained(undefined, () => expect.poll(async () => (await deliveredIds(demo)).length, { timeout: 150_000, interval: 500 }).toBeGreaterThanOrEqual(total));
    const ids = await deliveredIds(demo);
    expect(new Set(ids).size, 'a record was delivered twice').toBe(ids.length);
    // This tab numbered its records from 0 again (the console counts per tab).
    expect(numbersOf(ids.filter((id) => !firstFive.includes(id)))).toEqual(range(0, 150));
  }, 240_000);

  it('a tab opened again shows the service’s count, and an empty queue', async () => {
    const page = await openConsole('tab opened again');
    await page.waitForFunction(() => document.getElementById('count-service')?.textContent === '155', null, { timeout: 15_000, polling: 100 });
    await page.waitForFunction(() => (window as unknown as DemoWindow).outbox.getSnapshot().counts.total === 0, null, { timeout: 15_000 });
    expect(await page.isVisible('#queue-empty')).toBe(true);
    expect(await page.textContent('#role')).toContain('The service worker sends the queue');
  }, 90_000);

  it('no uncaught error in any tab', () => {
    expect(pageErrors).toEqual([]);
  });
});
