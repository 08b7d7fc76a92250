// The app's service worker in the service-worker tests: serveOutbox with its options from the
// script URL's query (never a secret there: the browser keeps that URL). `auth=script`: the token
// comes from a same-origin call to the app (`/token`, not cached); `auth=pages`: from a page.
import { serveOutbox } from '../../../src/service-worker.js';

declare const self: { location: Location; addEventListener(type: string, listener: (event: any) => void): void; skipWaiting(): Promise<void>; clients: { claim(): Promise<void> } };

const query = new URL(self.location.href).searchParams;
// `nosync=1`: a browser without Background Sync (Firefox, Safari).
if (query.get('nosync')) Object.defineProperty((self as unknown as { registration: object }).registration, 'sync', { value: undefined });
const fromPages = query.get('auth') === 'pages';
const outbox = serveOutbox({
  name: query.get('name') ?? 'sw',
  endpoint: query.get('url') ?? '',
  projectId: query.get('projectId') ?? '',
  auth: fromPages ? 'from-pages' : { token: async () => (await fetch('/token', { cache: 'no-store' })).text() },
  batchSize: Number(query.get('batchSize') ?? 20),
  retry: { minDelayMs: 20, maxDelayMs: 400, maxAttempts: 1000 },
  sliceMs: Number(query.get('sliceMs') ?? 60_000),
  tokenWaitMs: Number(query.get('tokenWaitMs') ?? 3000),
});
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// What the worker does, for the test's report when something hangs: POSTed to the app (`/log`).
const log = (line: string) => void fetch('/log', { method: 'POST', body: `${Date.now() % 1_000_000} ${line}` }).catch(() => undefined);
for (const name of ['coordination', 'paused', 'resumed', 'drained', 'error'] as const) outbox.on(name, (event) => log(`${name} ${JSON.stringify(event)}`));
outbox.on('sending', ({ records }) => log(`sending ${records.length}`));
for (const type of ['sync', 'message', 'activate']) self.addEventListener(type, (event) => log(`event ${type} ${event.tag ?? ''} ${JSON.stringify(outbox.getSnapshot().counts)} ${outbox.getSnapshot().role}`));
log('started');
outbox.on('retrying', ({ record, error }) => record.id.endsWith('0') && log(`retrying ${record.id} ${error.status ?? error.name}`));
