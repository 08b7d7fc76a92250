// The attack app's server on 127.0.0.1: its page and worker bundled with esbuild (the worker
// twice: one classic script, and one ES module built with code splitting, as a bundler that keeps
// `import()` as a chunk makes it), `/token` (never cached) and `/log` (what the worker reports).
// It has the shape of the shared helper's `AppServer`, so `withBrowser` runs tests on it.
import { join } from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import type { MockWorkspace } from '../../../../src/mock-server.js';
import { serveFiles, type AppServer } from '../../../helpers/service-worker-app.js';
import { repoRoot } from '../../../helpers/repo-root.js';
import type { AttackApi } from './page.js';

const APP = join(repoRoot, 'test/attack/service-worker/app');

/** `path → [content type, text]` of every file the app serves. */
async function bundles(): Promise<Map<string, [string, string]>> {
  const common = { bundle: true, write: false, target: 'es2022', logLevel: 'silent' } as const;
  const [page, worker, modular] = await Promise.all([
    build({ ...common, entryPoints: [join(APP, 'page.ts')], format: 'iife' }),
    build({ ...common, entryPoints: [join(APP, 'sw.ts')], format: 'iife' }),
    build({ ...common, entryPoints: [join(APP, 'sw.ts')], format: 'esm', splitting: true, outdir: '/', entryNames: 'sw-module', chunkNames: 'chunk-[hash]' }),
  ]);
  const js = 'text/javascript';
  const files = new Map<string, [string, string]>([
    ['/', ['text/html', '<!doctype html><meta charset="utf-8"><title>attack</title><script src="/page.js"></script>']],
    ['/page.js', [js, page.outputFiles[0]!.text]],
    ['/sw.js', [js, worker.outputFiles[0]!.text]],
  ]);
  for (const file of modular.outputFiles) files.set(file.path, [js, file.text]);
  return files;
}

export interface AttackApp extends AppServer {
  /** How many files the module build has (more than one: the chunks `import()` loads). */
  readonly moduleFiles: number;
  /** The `forceRefresh` query of every `/token` call. */
  readonly tokenAsks: string[];
}

export async function serveAttackApp(): Promise<AttackApp> {
  const files = await bundles();
  const app = await serveFiles(files, 'the attack app');
  return Object.assign(app, { moduleFiles: [...files.keys()].filter((path) => path.startsWith('/sw-module') || path.startsWith('/chunk-')).length });
}

/** The worker's query: the mock, and how the worker is set up (numbers as the worker reads them). */
export function attackWorkerQuery(mock: MockWorkspace, options: { name: string; auth?: 'script' | 'pages' | 'aksk'; ak?: string; sk?: string; bad?: string } & Partial<Record<'batchSize' | 'sliceMs' | 'tokenWaitMs' | 'requestTimeoutMs' | 'retryMinMs', number>>): string {
  const query = new URLSearchParams({ url: mock.url, projectId: mock.projectId });
  for (const [key, value] of Object.entries({ auth: 'script', ...options })) if (value !== undefined) query.set(key, String(value));
  return query.toString();
}

/** Runs `run(api, arg)` in the page (`window.attack`); `run` must not close over anything but its arguments. */
export function attackIn<T, A = undefined>(page: Page, run: (api: AttackApi, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
  return page.evaluate(([source, value]) => (0, eval)(source)((window as unknown as { attack: AttackApi }).attack, value), [run.toString(), arg] as const) as Promise<T>;
}

/** The worker's slices so far: each `waitUntil` that ended, with its event type, outcome and length (ms). */
export function slicesIn(log: readonly string[]): Array<{ type: string; how: string; ms: number; at: number }> {
  return log.flatMap((line) => {
    const found = /^(\d+) wait-end (\S+) (\S+) (\d+)$/.exec(line);
    return found ? [{ at: Number(found[1]), type: found[2]!, how: found[3]!, ms: Number(found[4]) }] : [];
  });
}

/** When each ended `waitUntil` promise was open, by the worker's clock: [start, end]. */
export function windowsIn(log: readonly string[]): Array<readonly [number, number]> {
  return slicesIn(log).map(({ at, ms }) => [at - ms, at] as const);
}

/** How many `waitUntil` promises were begun and have not ended (by the log). */
export function openSlices(log: readonly string[]): number {
  return log.filter((line) => / wait-start /.test(line)).length - slicesIn(log).length;
}

/** A page of the attack app pointed at `mock`, its API loaded. */
export async function openAttackPage(context: BrowserContext, app: AppServer, mock: MockWorkspace): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.origin}/?${new URLSearchParams({ url: mock.url, projectId: mock.projectId })}`);
  await page.waitForFunction(() => typeof (window as unknown as { attack?: AttackApi }).attack === 'object');
  return page;
}
