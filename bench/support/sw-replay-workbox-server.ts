// The workbox app of the service-worker-replay bench (bench/support/workbox-app) bundled with
// esbuild (iife, production: workbox's development logging and checks left out) and served from
// 127.0.0.1: `/` the page, `/page.js`, `/sw.js`, and `/token` (the mock's token, never cached),
// which the page asks for before each POST, as a web console asks its session for one.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const APP = join(dirname(fileURLToPath(import.meta.url)), 'workbox-app');

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(APP, entry)],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild made nothing of ${entry}`);
  return output.text;
}

export interface WorkboxAppServer {
  readonly origin: string;
  /** The token `/token` answers. */
  token: string;
  close(): Promise<void>;
}

export async function serveWorkboxApp(): Promise<WorkboxAppServer> {
  const [page, worker] = await Promise.all([bundle('page.ts'), bundle('sw.ts')]);
  const files: Record<string, [type: string, body: string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>workbox app</title><script src="/page.js"></script>'],
    '/page.js': ['text/javascript', page],
    '/sw.js': ['text/javascript', worker],
  };
  const state = { token: '' };
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path === '/token') {
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      response.end(state.token);
      return;
    }
    const file = files[path];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-cache' });
    response.end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the workbox app server has no TCP address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get token() {
      return state.token;
    },
    set token(value: string) {
      state.token = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
