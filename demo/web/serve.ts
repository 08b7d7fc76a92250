// `npm run demo:web`: the mock service and the web console on 127.0.0.1. Open the printed
// address in two tabs: one sends, both show every outcome.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin } from 'vite';
import { startMockWorkspace } from '../../src/mock-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 0);

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
      response.end(JSON.stringify({ url: mock.url, projectId: mock.projectId, token: mock.token }));
    });
  },
};

const server = await createServer({
  root: here,
  configFile: false,
  logLevel: 'warn',
  plugins: [demoConfig],
  // No hot reload: editing the library must not reload open tabs (and move the sending role).
  server: { host: '127.0.0.1', port, strictPort: port !== 0, hmr: false, watch: null, fs: { allow: [resolve(here, '../..')] } },
});
await server.listen();
const address = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`web console: ${address}  (mock Workspace service on ${mock.url}; Ctrl+C to stop)`);

const stop = async () => {
  await server.close();
  await mock.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
