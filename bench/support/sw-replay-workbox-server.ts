// The workbox app of the service-worker-replay bench (bench/support/workbox-app) bundled with
// esbuild (iife, production: workbox's development logging and checks left out) and served from
// 127.0.0.1: `/` the page, `/page.js`, `/sw.js`, and `/token` (the mock's token, never cached),
// which the page asks for before each POST, as a web console asks its session for one.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { appFiles, serveFiles } from '../../test/helpers/service-worker-app.js';

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
  return serveFiles(appFiles('workbox app', page, worker), 'the workbox app server');
}
