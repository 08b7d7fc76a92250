// `npm run demo:web`, driven in real Chromium as a console user would: two tabs of the page in one
// browser profile, one sending and one following, through offline/online, "Resend now" and a
// dead letter put back with "Requeue". The mock service runs inside the demo process, so what
// was sent is read from the pages (their counters and `window.outbox.getSnapshot()`). A backoff
// for "Resend now" is made by answering the browser's send requests 503 with a 120 s Retry-After
// (Playwright routing); the demo's own mock adds random 503s and 500s throughout.
// Screenshots of both tabs land in test-results/screenshots/.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/browser.js';
import type { OutboxSnapshot } from '../../src/outbox/snapshot.js';
import { chromiumArgs, chromiumExecutable } from '../../test-browser/chromium.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = join(repoRoot, 'test-results', 'screenshots');

/** What the demo page puts on `window`, plus what these tests add to watch it. */
type DemoWindow = Window & {
  outbox: Outbox;
  sendsSeen?: number;
  sendLog?: Array<{ at: number; ids: string[] }>;
  poison?: { sends: number; failed: number };
};

interface WebDemo {
  /** The page's address, as printed. */
  url: string;
  /** The mock service the page talks to, as printed. */
  mockUrl: string;
  stop(): Promise<void>;
}

/** Starts `npm run demo:web` in its own process group and reads the addresses it prints. */
function startWebDemo(): Promise<WebDemo> {
  const env = { ...process.env };
  delete env.PORT; // an ephemeral port
  const child: ChildProcess = spawn('npm', ['run', 'demo:web'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5_000);
    await closed;
    clearTimeout(timer);
  };
  return new Promise<WebDemo>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`npm run demo:web printed no address within 30 s:\n${output}`));
    }, 30_000);
    child.on('error', reject);
    if (!child.stdout) return reject(new Error('no stdout'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`;
      const match = /^web console: (http:\/\/127\.0\.0\.1:\d+\/) .*mock Workspace service on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], mockUrl: match[2], stop });
      }
    });
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm run demo:web ended early:\n${output}`));
    });
  });
}

const snapshot = (page: Page): Promise<OutboxSnapshot> => page.evaluate(() => (window as unknown as DemoWindow).outbox.getSnapshot());
const delivered = async (page: Page): Promise<number> => Number(await page.textContent('#count-sent'));

/** Waits until the page's Delivered counter shows at least `count`, then expects exactly `count`. */
async function expectDelivered(page: Page, count: number, timeout: number): Promise<void> {
  await explainedBy(page, async () => {
    await page.waitForFunction((n) => Number(document.getElementById('count-sent')?.textContent) >= n, count, { timeout, polling: 50 });
    expect(await delivered(page)).toBe(count);
  });
}

/** Enqueues `count` records through the page's form, as a user does. */
async function enqueueThroughForm(page: Page, count: number): Promise<void> {
  await page.getByLabel('Records to enqueue').fill(String(count));
  await page.getByRole('button', { name: 'Enqueue' }).click();
}

/**
 * What a tab's outbox holds and what its store keeps (records, backoffs, the stored endpoint
 * gate), for failure messages: a wait that times out then says what the records waited for.
 */
function describeState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const now = Date.now();
    const snap = (window as unknown as DemoWindow).outbox.getSnapshot();
    const records = snap.records.map(
      (r) => `${r.record.id} ${r.status} attempts=${r.attempts}${r.nextAttemptAt ? ` retry in ${r.nextAttemptAt - now} ms` : ''}${r.lastError ? ` (last error: ${r.lastError.message})` : ''}`,
    );
    const request = <T,>(req: IDBRequest<T>) => new Promise<T>((done, fail) => ((req.onsuccess = () => done(req.result)), (req.onerror = () => fail(req.error))));
    const db = await request(indexedDB.open('wks-mail-outbox:demo'));
    const meta: string[] = [];
    for (const name of db.objectStoreNames) {
      const store = db.transaction(name, 'readonly').objectStore(name);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      keys.forEach((key, index) => String(key).startsWith('m:') && meta.push(`${String(key)} = now + ${Number(values[index]) - now} ms`));
    }
    db.close();
    return `role ${snap.role}, paused: ${snap.pausedReason ?? 'no'}; records: ${records.join('; ') || 'none'}; stored meta: ${meta.join('; ') || 'none'}`;
  });
}

/**
 * Reloads of a tab after it was set up. The demo serves the page with vite's dev server, which
 * reloads it when a source file changes: a tab that reloads starts over (and may lose the
 * sending part), so failure messages say when that happened.
 */
const reloads: string[] = [];

/** Runs `work`; if it fails, the error also tells the state of `page` (and any reload). */
async function explainedBy<T>(page: Page, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error) {
      error.message += `\nstate of the tab: ${await describeState(page).catch((e: unknown) => String(e))}`;
      if (reloads.length > 0) error.message += `\nreloads: ${reloads.join('; ')}`;
    }
    throw error;
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

describe('the web console in two tabs of Chromium', () => {
  let demo: WebDemo;
  let browser: Browser;
  let context: BrowserContext;
  let sender: Page;
  let follower: Page;
  const pageErrors: string[] = [];
  /** Records delivered so far: both tabs' Delivered counters must show it. */
  let total = 0;

  beforeAll(async () => {
    demo = await startWebDemo();
    browser = await chromium.launch({ executablePath: chromiumExecutable, args: chromiumArgs, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const open = async (role: 'leader' | 'follower') => {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${role} tab: ${String(error)}`));
      await page.goto(demo.url);
      await page.waitForFunction((expected) => document.body.dataset.role === expected, role, { timeout: 20_000 });
      page.on('framenavigated', (frame) => void (frame === page.mainFrame() && reloads.push(`the ${role} tab at ${new Date().toISOString()}`)));
      return page;
    };
    // The first tab takes the sending part; the second, opened after, follows.
    sender = await open('leader');
    follower = await open('follower');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  }, 20_000);

  it('one tab says it sends the queue, the other that it follows', async () => {
    expect(await sender.textContent('#role')).toBe('This tab sends the queue.');
    expect(await follower.textContent('#role')).toBe('Another tab sends; this one follows every outcome.');
  });

  it('records enqueued in either tab are delivered, and both tabs count every delivery', async () => {
    await enqueueThroughForm(sender, 6);
    await enqueueThroughForm(follower, 4);
    total += 10;
    await expectDelivered(sender, total, 30_000);
    await expectDelivered(follower, total, 5_000);
    await follower.waitForFunction(() => (window as unknown as DemoWindow).outbox.getSnapshot().counts.total === 0, null, { timeout: 5_000 });
    expect(await follower.isVisible('#queue-empty')).toBe(true);
  }, 40_000);

  it('"Go offline" shows the paused state in both tabs, and nothing is sent while offline', async () => {
    for (const page of [sender, follower]) {
      await page.evaluate(() => {
        const w = window as unknown as DemoWindow;
        w.sendsSeen = 0;
        w.outbox.on('sending', () => void (w.sendsSeen = (w.sendsSeen ?? 0) + 1));
      });
    }
    await follower.getByRole('button', { name: 'Go offline' }).click();
    for (const page of [sender, follower]) {
      await page.waitForFunction(() => document.body.dataset.paused === 'offline', null, { timeout: 5_000 });
      expect(await page.isVisible('#paused')).toBe(true);
      expect(await page.textContent('#paused')).toContain('offline');
      expect(await page.isDisabled('#offline')).toBe(true);
      expect(await page.isEnabled('#online')).toBe(true);
    }

    await enqueueThroughForm(sender, 5);
    for (const page of [sender, follower]) {
      await page.waitForFunction(() => (window as unknown as DemoWindow).outbox.getSnapshot().counts.pending === 5, null, { timeout: 5_000 });
    }
    await sender.waitForTimeout(1_500);
    for (const page of [sender, follower]) {
      expect(await delivered(page)).toBe(total);
      expect((await snapshot(page)).counts).toMatchObject({ pending: 5, sending: 0, retrying: 0 });
      expect(await page.evaluate(() => (window as unknown as DemoWindow).sendsSeen)).toBe(0);
      expect(await page.locator('#queue .badge').allTextContents()).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    }
  }, 30_000);

  it('"Go online" resumes sending and drains the queue', async () => {
    await sender.getByRole('button', { name: 'Go online' }).click();
    total += 5;
    for (const page of [sender, follower]) {
      await page.waitForFunction(() => document.body.dataset.paused === '', null, { timeout: 5_000 });
      expect(await page.isHidden('#paused')).toBe(true);
    }
    await expectDelivered(sender, total, 30_000);
    await expectDelivered(follower, total, 5_000);
  }, 40_000);

  it('a dead letter shows in the dead-letter panel of both tabs, and its "Requeue" button sends it again', async () => {
    await sender.evaluate(() => {
      const w = window as unknown as DemoWindow;
      const seen = (w.poison = { sends: 0, failed: 0 });
      w.outbox.on('sending', (e) => void (seen.sends += e.records.filter((record) => record.id === 'mail-poison').length));
      w.outbox.on('failed', (e) => void (e.record.id === 'mail-poison' && seen.failed++));
    });
    const poison = () => sender.evaluate(() => (window as unknown as DemoWindow).poison ?? { sends: 0, failed: 0 });
    await sender.evaluate(() => (window as unknown as DemoWindow).outbox.enqueue({ id: 'mail-poison' }));

    for (const page of [sender, follower]) {
      const requeue = page.getByRole('button', { name: 'Requeue mail-poison' });
      await explainedBy(page, () => requeue.waitFor({ timeout: 20_000 }));
      const cells = await page.locator('#dead tr', { has: requeue }).locator('td').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['mail-poison', 'rejected']);
      expect(Number(cells[2])).toBeGreaterThanOrEqual(1);
      expect(cells[3]).toContain('400 WKS.00131104');
      expect(await page.textContent('#count-dead')).toBe('1');
      expect(await page.isHidden('#dead-empty')).toBe(true);
    }
    const first = await poison();
    expect(first.failed).toBe(1);
    expect(first.sends).toBeGreaterThanOrEqual(1);
    await screenshot(sender, 'web-console-sending-tab');
    await screenshot(follower, 'web-console-following-tab');

    await follower.getByRole('button', { name: 'Requeue mail-poison' }).click();
    await explainedBy(sender, () => sender.waitForFunction(() => ((window as unknown as DemoWindow).poison?.failed ?? 0) >= 2, null, { timeout: 20_000 }));
    const second = await poison();
    expect(second.failed).toBe(2);
    expect(second.sends).toBeGreaterThan(first.sends);
    for (const page of [sender, follower]) {
      await page.getByRole('button', { name: 'Requeue mail-poison' }).waitFor({ timeout: 5_000 });
      expect(await page.textContent('#count-dead')).toBe('1');
    }
    expect(await delivered(sender)).toBe(total);
  }, 50_000);

  /**
   * Makes the service (as the browser sees it) answer 503 with a 120 s Retry-After, enqueues 3
   * records in the following tab and waits until they wait for that backoff; then the service is
   * fine again and "Resend now" is clicked in `tab`. The records must be sent at once (the demo's
   * service is flaky, so delivery may take a retry or two more), and a record enqueued after them
   * must not wait for the backoff that "Resend now" cancelled.
   */
  async function resendNowAfterABackoff(tab: Page): Promise<void> {
    await sender.evaluate(() => {
      const w = window as unknown as DemoWindow;
      if (w.sendLog) return;
      const log: Array<{ at: number; ids: string[] }> = (w.sendLog = []);
      w.outbox.on('sending', (e) => void log.push({ at: Date.now(), ids: e.records.map((record) => record.id) }));
    });
    /** When the sending tab first sent a request with one of `ids` (or any id not in `except`) at or after `since`. */
    const firstSend = (since: number, match: { ids: string[] } | { except: string[] }, timeout: number) =>
      explainedBy(sender, async () => {
        const handle = await sender.waitForFunction(
          ([from, wanted]) => {
            const hit = (window as unknown as DemoWindow).sendLog?.find(
              (send) => send.at >= from && send.ids.some((id) => ('ids' in wanted ? wanted.ids.includes(id) : !wanted.except.includes(id))),
            );
            return hit?.at ?? false;
          },
          [since, match] as const,
          { timeout, polling: 50 },
        );
        return (await handle.jsonValue()) as number;
      });

    let refusing = true;
    const refuse = async (route: Route) => {
      if (!refusing || route.request().method() !== 'POST') return route.fallback();
      return route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '120', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'X-Request-Id, Retry-After' },
        body: JSON.stringify({ error_code: 'WKS.0503', error_msg: 'Service unavailable' }),
      });
    };
    await context.route(`${demo.mockUrl}/**`, refuse);
    let retryAt: number;
    let waitingIds: string[];
    try {
      await enqueueThroughForm(follower, 3);
      await sender.waitForFunction(() => (window as unknown as DemoWindow).outbox.getSnapshot().counts.retrying === 3, null, { timeout: 20_000 });
      const waiting = (await snapshot(sender)).records.filter((record) => record.status === 'retrying');
      waitingIds = waiting.map((record) => record.record.id);
      retryAt = Math.min(...waiting.map((record) => record.nextAttemptAt ?? 0));
      expect(retryAt - Date.now()).toBeGreaterThan(100_000);
      // Both tabs show the wait: status, attempts and the next retry time.
      for (const page of [sender, follower]) {
        await page.waitForFunction(() => document.querySelectorAll('#queue .badge.retrying').length === 3, null, { timeout: 5_000 });
        for (const row of await page.locator('#queue tr').all()) {
          const cells = await row.locator('td').allTextContents();
          expect(cells.slice(2, 4)).toEqual(['retrying', '1']);
          expect(cells[4]).toMatch(/^in \d+ s$/);
        }
      }
      // The service is fine again, but the records wait for their backoff...
      refusing = false;
      await sender.waitForTimeout(1_000);
      expect(await delivered(sender)).toBe(total);
    } finally {
      await context.unroute(`${demo.mockUrl}/**`, refuse);
    }
    // ...until "Resend now": they go at once, and are delivered.
    const clickedAt = Date.now();
    await tab.getByRole('button', { name: 'Resend now' }).click();
    const resentAt = await firstSend(clickedAt, { ids: waitingIds }, 5_000);
    expect(resentAt).toBeLessThan(retryAt);
    total += 3;
    await expectDelivered(sender, total, 25_000);
    await expectDelivered(follower, total, 5_000);

    // The cancelled backoff holds nothing back: a record enqueued now goes at once too.
    const enqueuedAt = Date.now();
    await enqueueThroughForm(follower, 1);
    const nextSentAt = await firstSend(enqueuedAt, { except: waitingIds }, 5_000);
    expect(nextSentAt).toBeLessThan(retryAt);
    total += 1;
    await expectDelivered(sender, total, 25_000);
    await expectDelivered(follower, total, 5_000);
  }

  it('"Resend now" in the sending tab sends the records waiting for a backoff at once', async () => {
    await resendNowAfterABackoff(sender);
  }, 90_000);

  it('"Resend now" in the following tab sends the records waiting for a backoff at once', async () => {
    await resendNowAfterABackoff(follower);
  }, 90_000);

  it('every button has an accessible name, the number input its label, the controls are keyboard-reachable and the text has contrast', async () => {
    const cdp = await context.newCDPSession(follower);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ ignored?: boolean; role?: { value?: string }; name?: { value?: string } }> };
    const named = (role: string) => nodes.filter((node) => !node.ignored && node.role?.value === role).map((node) => node.name?.value ?? '');
    const buttons = named('button');
    expect(buttons).toEqual(expect.arrayContaining(['Enqueue', 'Resend now', 'Go offline', 'Go online', 'Requeue all']));
    for (const name of buttons) expect(name.trim()).not.toBe('');
    expect(named('spinbutton')).toEqual(['Records to enqueue']);
    expect(await follower.getByLabel('Records to enqueue').getAttribute('id')).toBe('add-count');

    // Tab goes through every enabled control.
    await follower.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached = new Set<string>();
    for (let step = 0; step < 12; step++) {
      await follower.keyboard.press('Tab');
      reached.add(await follower.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? ''));
    }
    expect([...reached]).toEqual(expect.arrayContaining(['add-count', 'add', 'flush', 'offline']));

    // Contrast of every visible text against its background (WCAG AA, 4.5:1; disabled controls exempt).
    const lowContrast = await follower.evaluate(() => {
      const rgba = (css: string) => {
        const parts = (/rgba?\(([^)]*)\)/.exec(css)?.[1] ?? '0 0 0 0').split(/[\s,/]+/).filter(Boolean).map(Number);
        return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
      };
      const luminance = ({ r, g, b }: { r: number; g: number; b: number }) => {
        const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const background = (element: Element | null) => {
        for (let e = element; e; e = e.parentElement) {
          const color = rgba(getComputedStyle(e).backgroundColor);
          if (color.a > 0) return color;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
      };
      const problems: string[] = [];
      for (const element of document.querySelectorAll('body *')) {
        const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim());
        if (!ownText || element.getClientRects().length === 0 || element.closest('.visually-hidden') || (element as HTMLButtonElement).disabled) continue;
        const [light, dark] = [luminance(rgba(getComputedStyle(element).color)), luminance(background(element))].sort((x, y) => y - x) as [number, number];
        const ratio = (light + 0.05) / (dark + 0.05);
        if (ratio < 4.5) problems.push(`${element.tagName.toLowerCase()}#${element.id}.${element.className} "${element.textContent?.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
      }
      return problems;
    });
    expect(lowContrast).toEqual([]);
  }, 20_000);

  it('no uncaught error in either tab', () => {
    expect(pageErrors).toEqual([]);
  });
});
