// What the demo server adds in service-worker mode: the worker script (demo/web/sw.ts, bundled
// with esbuild at start, since a service worker cannot import bare modules), the token the
// worker fetches same-origin, and what the mock service received (the console shows it: records
// still go out with no tab open).
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import type { MockWorkspace } from '../../src/mock-server.js';

const here = dirname(fileURLToPath(import.meta.url));

/** demo/web/sw.ts and what it imports, as one classic script. */
async function bundleWorker(): Promise<string> {
  const result = await build({ entryPoints: [join(here, 'sw.ts')], bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'silent' });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bundle of demo/web/sw.ts');
  return output.text;
}

function answer(response: ServerResponse, contentType: string, cacheControl: string, body: string): void {
  response.setHeader('Content-Type', contentType);
  response.setHeader('Cache-Control', cacheControl);
  response.end(body);
}

/**
 * `/sw.js`: the worker (its endpoint and projectId come in the script URL's query string);
 * `/worker-token`: the mock's token, never cached (it is not in the script URL, which the browser
 * keeps with the registration); `/deliveries.json`: ids of the records the mock answered 200.
 */
export async function serviceWorkerRoutes(mock: MockWorkspace): Promise<Plugin> {
  const worker = await bundleWorker();
  return {
    name: 'demo-service-worker',
    configureServer(server) {
      server.middlewares.use('/sw.js', (_request, response) => answer(response, 'text/javascript', 'no-cache', worker));
      server.middlewares.use('/worker-token', (_request, response) => answer(response, 'text/plain', 'no-store', mock.token));
      server.middlewares.use('/deliveries.json', (_request, response) =>
        answer(response, 'application/json', 'no-store', JSON.stringify({ ids: mock.deliveredIds() })),
      );
    },
  };
}
