// The app of the service-worker tests: its page and worker (test/service-worker/app) bundled with
// esbuild and served from 127.0.0.1, and a real Chromium that this process starts itself (its own
// process group, a profile directory, DevTools on a pipe-free port), so a test can SIGKILL the
// whole browser and start it again on the same profile, with no page of the app open.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startMockWorkspace, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';
import { filesUnder } from './files-under.js';
import { chromiumArgs, chromiumExecutable } from '../../test-browser/chromium.js';
import type { SwApi } from '../service-worker/app/page.js';
import { repoRoot } from './repo-root.js';

const APP = join(repoRoot, 'test/service-worker/app');

/** The page and the worker, each one script. */
async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [join(APP, entry)], bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** The app's origin: `/` the page, `/page.js`, `/sw.js`, `/token` (the mock's token, never cached). */
export interface AppServer {
  readonly origin: string;
  /** The token `/token` answers, and how many times it was asked. */
  token: string;
  readonly tokenCalls: number;
  /** What the workers reported (their outbox's events, the events that woke them), in order. */
  readonly log: string[];
  close(): Promise<void>;
}

export async function serveApp(): Promise<AppServer> {
  const [page, worker] = await Promise.all([bundle('page.ts'), bundle('sw.ts')]);
  return serveFiles(appFiles('app', page, worker), 'the app server');
}

/** An app's files: path → [content type, body]. */
export type AppFiles = ReadonlyMap<string, readonly [type: string, body: string]>;

/** `/` (a page that loads `/page.js`), `/page.js` and `/sw.js`. */
export function appFiles(title: string, page: string, worker: string): Map<string, [string, string]> {
  return new Map([
    ['/', ['text/html', `<!doctype html><meta charset="utf-8"><title>${title}</title><script src="/page.js"></script>`]],
    ['/page.js', ['text/javascript', page]],
    ['/sw.js', ['text/javascript', worker]],
  ]);
}

/**
 * Serves `files` from 127.0.0.1 (revalidated on every load), with `/token` (the token set here,
 * never cached; the `fresh` query of each call kept in `tokenAsks`) and `/log` (each POSTed body
 * kept in `log`). `what` names the server in its one error.
 */
export async function serveFiles(files: AppFiles, what: string): Promise<AppServer & { readonly tokenAsks: string[] }> {
  const log: string[] = [];
  const tokenAsks: string[] = [];
  const state = { token: '' };
  const server: Server = createServer((request, response) => {
    const [path = '/', search = ''] = (request.url ?? '/').split('?');
    if (path === '/log') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => void (log.push(body), response.writeHead(204).end()));
      return;
    }
    if (path === '/token') {
      tokenAsks.push(new URLSearchParams(search).get('fresh') ?? '');
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      return void response.end(state.token);
    }
    const file = files.get(path);
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-cache' });
    response.end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${what} has no TCP address`);
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get token() {
      return state.token;
    },
    set token(value: string) {
      state.token = value;
    },
    get tokenCalls() {
      return tokenAsks.length;
    },
    tokenAsks,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A Chromium of this process: SIGKILL it (the whole process group) and start it again on the same profile. */
export class AppBrowser {
  readonly profile: string;
  #child: ChildProcess | undefined;
  #browser: Browser | undefined;

  constructor(profile = mkdtempSync(join(tmpdir(), 'wks-sw-profile-'))) {
    this.profile = profile;
  }

  /** Starts Chromium on the profile, with no page of the app (only about:blank). */
  async launch(): Promise<BrowserContext> {
    const child = spawn(chromiumExecutable, [...chromiumArgs, `--user-data-dir=${this.profile}`, '--remote-debugging-port=0', 'about:blank'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /DevTools listening on (ws:\S+)/.exec(text);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before DevTools answered: ${text.slice(-500)}`)));
    });
    this.#browser = await chromium.connectOverCDP(endpoint);
    return this.#browser.contexts()[0]!;
  }

  /** SIGKILLs Chromium's whole process group (browser, renderers, the worker's process) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await gone;
    this.#browser = undefined;
  }

  /** Ends Chromium (killed: a test's profile is thrown away) and removes the profile. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** A page of the app pointed at `mock`, its API loaded. */
export async function openApp(context: BrowserContext, app: AppServer, mock: MockWorkspace, extra: Record<string, string> = {}): Promise<Page> {
  const page = await context.newPage();
  const query = new URLSearchParams({ url: mock.url, projectId: mock.projectId, ...extra });
  await page.goto(`${app.origin}/?${query}`);
  await page.waitForFunction(() => typeof (window as unknown as { swApi?: SwApi }).swApi === 'object');
  return page;
}

/** The worker script's query: the mock, and how the worker is set up. */
export function workerQuery(mock: MockWorkspace, options: { name: string; auth: 'script' | 'pages'; batchSize?: number | undefined; sliceMs?: number | undefined; noSync?: boolean | undefined }): string {
  const query = new URLSearchParams({ url: mock.url, projectId: mock.projectId, name: options.name, auth: options.auth });
  if (options.noSync) query.set('nosync', '1');
  if (options.batchSize) query.set('batchSize', String(options.batchSize));
  if (options.sliceMs) query.set('sliceMs', String(options.sliceMs));
  return query.toString();
}

/** Runs `run(api, arg)` in the page (`window.swApi`); `run` must not close over anything but its arguments. */
export function inPage<T, A = undefined>(page: Page, run: (api: SwApi, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
  return page.evaluate(([source, value]) => (0, eval)(source)((window as unknown as { swApi: SwApi }).swApi, value), [run.toString(), arg] as const) as Promise<T>;
}

/** What a test runs with: the mock (the app's `/token` answers its token) and a fresh browser, started. */
export interface WorkerTestBed {
  mock: MockWorkspace;
  browser: AppBrowser;
  context: BrowserContext;
}

/** Runs `test` on a new mock and a new browser, both gone afterwards whatever happened. */
export async function withBrowser(app: AppServer, mockOptions: MockWorkspaceOptions, test: (bed: WorkerTestBed) => Promise<void>): Promise<void> {
  const mock = await startMockWorkspace(mockOptions);
  const browser = new AppBrowser();
  try {
    app.token = mock.token;
    await test({ mock, browser, context: await browser.launch() });
  } finally {
    await browser.dispose();
    await mock.close();
  }
}

/** How a page of the app and its worker are set up. */
export interface WorkerPageOptions {
  name: string;
  /** Where the worker's token comes from. @default 'script' */
  auth?: 'script' | 'pages';
  sender?: 'tabs' | 'service-worker';
  batchSize?: number;
  sliceMs?: number;
  /** A browser without Background Sync (in the page and the worker). */
  noSync?: boolean;
  /** This page's token provider fails. */
  tokenless?: boolean;
  /** Register the worker from this page first. @default true */
  register?: boolean;
}

/** A page of the app: the worker registered (and active), then an outbox created in the page. */
export async function pageWithWorker(bed: WorkerTestBed, app: AppServer, options: WorkerPageOptions): Promise<Page> {
  const { mock, context } = bed;
  const page = await openApp(context, app, mock, options.noSync ? { nosync: '1' } : {});
  const { name, auth = 'script', sender = 'service-worker', batchSize, sliceMs, noSync, tokenless = false } = options;
  if (options.register !== false) await inPage(page, (api, query) => api.register(query), workerQuery(mock, { name, auth, batchSize, sliceMs, noSync }));
  const create = { name, sender, tokenless, token: tokenless ? '' : mock.token, ...(batchSize ? { batchSize } : {}) };
  await inPage(page, (api, given) => api.create(given), create);
  return page;
}

/** The files of `dir` that hold `secret` as bytes: latin1/UTF-8, UTF-16 (V8's two-byte strings), base64, URL-encoded. */
export async function filesHolding(dir: string, secret: string): Promise<string[]> {
  const forms = [secret, Buffer.from(secret, 'utf16le').toString('latin1'), Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
  const files = await filesUnder(dir);
  if (files.size < 10) throw new Error(`${dir} holds ${files.size} files: not a used profile, nothing to check`);
  return [...files].filter(([, text]) => forms.some((form) => text.includes(form))).map(([path]) => path);
}
