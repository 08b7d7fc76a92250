// The web console's service worker (`npm run demo:web -- --service-worker`; the demo server
// bundles this file as /sw.js). It sends the queue the console's tabs store (outbox name 'demo'),
// also after they are all closed. The endpoint and project come in the script URL; the token is
// fetched same-origin, kept in this worker's memory only.
import { serveOutbox } from '../../src/service-worker.js';

/** The part of the service worker's global scope used here (the project's lib is DOM, not WebWorker). */
interface DemoWorkerScope {
  readonly location: Location;
  addEventListener(type: 'install', listener: () => void): void;
  skipWaiting(): Promise<void>;
}
const scope = globalThis as unknown as DemoWorkerScope;

const query = new URL(scope.location.href).searchParams;
let token: string | undefined;

async function fetchToken(forceRefresh: boolean): Promise<string> {
  if (token !== undefined && !forceRefresh) return token;
  const response = await fetch('/worker-token', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/worker-token answered ${response.status}`);
  token = await response.text();
  return token;
}

// A newer worker (the demo server restarted: another mock address) takes over at once.
scope.addEventListener('install', () => void scope.skipWaiting());

const outbox = serveOutbox({
  name: 'demo',
  endpoint: query.get('endpoint') ?? '',
  projectId: query.get('projectId') ?? '',
  auth: { token: ({ forceRefresh }) => fetchToken(forceRefresh) },
  language: 'en-us',
  batchSize: 10,
  retry: { minDelayMs: 500, maxDelayMs: 8000 },
});

// For DevTools (and the demo's test): the worker's outbox, as the page has `window.outbox`.
Object.assign(globalThis, { outbox });
