// `npm run demo:web`: the mock service and the web console on 127.0.0.1. Open the printed
// address in two tabs: one sends, both show every outcome.
// `npm run demo:web -- --service-worker` (or WKS_DEMO_SW=1): the console's service worker
// (demo/web/sw.ts) sends instead, also after every tab is closed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin } from 'vite';
import { startMockWorkspace } from '../../src/mock-server.js';
import { serviceWorkerRoutes } from './worker-routes.js';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 0);
const sender = process.argv.includes('--service-worker') || process.env.WKS_DEMO_SW === '1' ? 'service-worker' : 'tabs';

const mock = await startMockWorkspace({
  poisonIds: ['mail-poison'],
  latencyMs: 250,
  random: {
    seed: Date.now(),
    faults: [
      { probability: 0.15, fault: { status: 503, retryAfter: 2 } },
      { probability: 0.05, fault: { status: 500 } },
    ],
  },
});

/** Serves the mock's address to the page (a demo shortcut: a real console has its own config). */
const demoConfig: Plugin = {
  name: 'demo-config',
  configureServer(server) {
    server.middlewares.use('/config.json', (_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ url: mock.url, projectId: mock.projectId, token: mock.token, sender }));
    });
  },
};

// Its own cache of pre-bundled dependencies: two demo servers at once (a tabs one and a service
// worker one) sharing node_modules/.vite would answer each other's pages 504 "Outdated Optimize Dep".
const cacheDir = mkdtempSync(join(tmpdir(), 'wks-mail-outbox-demo-web-'));
process.once('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
const server = await createServer({
  root: here,
  configFile: false,
  cacheDir,
  logLevel: 'warn',
  // The dependencies are known: bundled at start, none discovered later (which reloads open tabs).
  optimizeDeps: { noDiscovery: true, include: ['zod/mini', 'p-retry', 'idb-keyval'] },
  plugins: sender === 'service-worker' ? [demoConfig, await serviceWorkerRoutes(mock)] : [demoConfig],
  // No hot reload: editing the library must not reload open tabs (and move the sending role).
  server: { host: '127.0.0.1', port, strictPort: port !== 0, hmr: false, watch: null, fs: { allow: [resolve(here, '../..')] } },
});
await server.listen();
const address = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
const mode = sender === 'service-worker' ? 'mode: service worker, it sends also with no tab open' : 'mode: tabs, one tab sends';
console.log(`web console: ${address}  (${mode}; mock Workspace service on ${mock.url}; Ctrl+C to stop)`);

const stop = async () => {
  await server.close();
  await mock.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
