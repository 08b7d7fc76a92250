// Case 4: IndexedDB in real Chromium (playwright-core). IndexedDbStore.putMany in batches of 100
// vs a naive per-record-transaction store vs the whole queue under one key (read-modify-write),
// time per record at ~1k and ~10k queued. The page is served from 127.0.0.1 by vite.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { chromiumArgs, chromiumExecutable } from '../../test-browser/chromium.js';
import { formatRatio, rowOf, sideBySide, type BenchCase, type Goal, type Row, type Variant } from '../harness.js';
import { TempDirs } from '../support/fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const pageRoot = resolve(here, '../support/idb-page');
const repoRoot = resolve(here, '../..');

const BATCHED = 'IndexedDbStore.putMany (batches of 100)';
const PER_RECORD = 'per-record transactions';
const ONE_KEY = 'one key, read-modify-write';
const KIND: Record<string, 'batched' | 'per-record' | 'one-key'> = { [BATCHED]: 'batched', [PER_RECORD]: 'per-record', [ONE_KEY]: 'one-key' };

interface PageResult {
  ms: number;
  written: number;
  calls: number;
  stored: number;
  /** The median call's time (ms): without the occasional stall (storage compaction) that the mean carries. */
  medianCallMs: number;
  perCall: number;
}

export const indexedDb: BenchCase = {
  name: 'indexeddb',
  title: 'IndexedDB enqueue in Chromium: IndexedDbStore batches vs per-record transactions vs one-key blob',
  async run({ quick, log }) {
    const queued = quick ? [200, 2000] : [1000, 10_000];
    const rounds = quick ? 1 : 5;
    const batch = 100;
    const window = quick ? 200 : 600;
    const capMs = quick ? 400 : 600;
    const settleMs = quick ? 100 : 400;
    const dirs = new TempDirs();
    let server: ViteDevServer | undefined;
    let context: BrowserContext | undefined;
    try {
      server = await createServer({
        root: pageRoot,
        configFile: false,
        logLevel: 'error',
        cacheDir: await dirs.make('vite-cache'),
        optimizeDeps: { noDiscovery: true, include: [] },
        server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, fs: { allow: [repoRoot] } },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      if (!url) throw new Error('vite did not report its address');
      // A persistent (on-disk) profile, as users have: Playwright's default contexts are
      // off-the-record, where IndexedDB lives in memory and no write ever reaches the disk.
      context = await chromium.launchPersistentContext(await dirs.make('chromium-profile'), { executablePath: chromiumExecutable, args: chromiumArgs });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { bench?: { ready: boolean } }).bench?.ready === true, undefined, { timeout: 30_000 }).catch((error: unknown) => {
        throw new Error(`the bench page did not load: ${problems.join('; ') || String(error)}`);
      });
      const version = context.browser()?.version() ?? String(await page.evaluate('navigator.userAgent'));

      let runId = 0;
      const rows: Row[] = [];
      for (const q of queued) {
        const variants: Variant[] = [BATCHED, PER_RECORD, ONE_KEY].map((name) => ({
          name,
          async run() {
            const options = { variant: KIND[name], name: `bench-${process.pid}-${runId++}`, queued: q, window, batch, capMs, settleMs };
            const result = (await page.evaluate((o) => (window as unknown as { bench: { run(o: unknown): Promise<unknown> } }).bench.run(o), options)) as PageResult;
            if (result.stored !== q + result.written) throw new Error(`${name}: ${result.stored} entries stored, expected ${q + result.written}`);
            return { value: (result.ms * 1000) / result.written, extra: { 'records timed': result.written, 'median call µs/record': (result.medianCallMs * 1000) / result.perCall } };
          },
        }));
        const label = q >= 1000 ? `${q / 1000}k` : String(q);
        rows.push(...(await sideBySide({ group: `@ ${label} queued`, metric: { name: 'time per record', unit: 'µs/record', better: 'lower' }, variants, baselines: [PER_RECORD, ONE_KEY], rounds, log })));
      }
      await page.close();

      const label = (q: number) => (q >= 1000 ? `${q / 1000}k` : String(q));
      const goals: Goal[] = [];
      const fast = queued.map((q) => rowOf(rows, `@ ${label(q)} queued`, BATCHED));
      goals.push({
        goal: 'batched enqueue ≥ 10× per-record transactions',
        met: fast.every((row) => (row.ratios[PER_RECORD] ?? 0) >= 10),
        detail: fast.map((row) => `${row.group}: ${formatRatio(row.ratios[PER_RECORD])}`).join('; '),
      });
      const [small, big] = fast as [Row, Row];
      const growth = big.median / small.median;
      goals.push({
        goal: `flat cost per record as the queue grows (batched, ${label(queued[1] as number)} vs ${label(queued[0] as number)} queued ≤ 1.3×)`,
        met: growth <= 1.3,
        detail: `${small.median.toFixed(1)} → ${big.median.toFixed(1)} µs/record (${formatRatio(growth)})`,
      });
      const medianGrowth = (big.extra['median call µs/record'] ?? NaN) / (small.extra['median call µs/record'] ?? NaN);
      const blobGrowth = rowOf(rows, `@ ${label(queued[1] as number)} queued`, ONE_KEY).median / rowOf(rows, `@ ${label(queued[0] as number)} queued`, ONE_KEY).median;
      return {
        params: { queued, rounds, batch, window, capMs, settleMs, chromium: version },
        rows,
        goals,
        notes: [
          `Chromium ${version} (headless, ${chromiumExecutable}, persistent on-disk profile); page served by vite from 127.0.0.1; all three variants use the library's database opener (strict durability on every write transaction)`,
          `each round: a fresh database prefilled (untimed, 1000 per transaction) to the queue size, a ${settleMs} ms pause, then up to ${window} records timed (stops after ${capMs} ms, at least one call); "vs X" = how many times less time per record than X`,
          `"median call µs/record": the median call's time per record (the main figure is the mean over the window, stalls included); batched, it grows ${formatRatio(medianGrowth)} from ${label(queued[0] as number)} to ${label(queued[1] as number)} queued`,
          `one key: read-modify-write of the whole array per call of ${batch} records (one transaction); its cost per record grows ${formatRatio(blobGrowth)} from ${label(queued[0] as number)} to ${label(queued[1] as number)} queued`,
        ],
      };
    } finally {
      await context?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await dirs.cleanup();
    }
  },
};
