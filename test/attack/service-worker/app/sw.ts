// The attack app's service worker: serveOutbox with its options from the script URL's query
// (never a secret there). Every `waitUntil` promise is reported to the app (`/log`) when it
// starts and when it settles, so a test sees each slice's length; so is every request the
// outbox starts. `bad=<option>` gives serveOutbox a bad value of that option (a failing install).
import { serveOutbox } from '../../../../src/service-worker.js';

declare const self: { location: Location; registration: object; addEventListener(type: string, listener: (event: any) => void): void; skipWaiting(): Promise<void>; clients: { claim(): Promise<void> } };
declare const ExtendableEvent: { prototype: { waitUntil(promise: Promise<unknown>): void } };

const query = new URL(self.location.href).searchParams;
const log = (line: string) => void fetch('/log', { method: 'POST', body: `${Date.now()} ${line}` }).catch(() => undefined);

// Each slice (a promise given to an event's waitUntil), timed.
const waitUntil = ExtendableEvent.prototype.waitUntil;
ExtendableEvent.prototype.waitUntil = function (this: { type: string }, promise: Promise<unknown>) {
  const type = this.type;
  const started = Date.now();
  log(`wait-start ${type}`);
  const end = (how: string) => () => log(`wait-end ${type} ${how} ${Date.now() - started}`);
  promise.then(end('resolved'), end('rejected'));
  waitUntil.call(this, promise);
};

const number = (key: string, fallback: number) => Number(query.get(key) ?? fallback);
const bad = query.get('bad');
const scriptToken = { token: async ({ forceRefresh }: { forceRefresh: boolean }) => (await fetch(`/token?fresh=${forceRefresh}`, { cache: 'no-store' })).text() };
// `auth=aksk`: test credentials of the mock in the query (an app must not do this: the browser keeps the URL).
const auth = { pages: 'from-pages' as const, aksk: { ak: query.get('ak') ?? '', sk: query.get('sk') ?? '' }, script: scriptToken }[query.get('auth') ?? 'script'] ?? scriptToken;
const outbox = serveOutbox({
  name: query.get('name') ?? 'attack',
  endpoint: query.get('url') ?? '',
  projectId: query.get('projectId') ?? '',
  auth,
  batchSize: number('batchSize', 10),
  retry: { minDelayMs: number('retryMinMs', 20), maxDelayMs: Math.max(number('retryMinMs', 20), 400), maxAttempts: 10_000, jitter: 0 },
  sliceMs: number('sliceMs', 60_000),
  tokenWaitMs: number('tokenWaitMs', 3000),
  requestTimeoutMs: number('requestTimeoutMs', 30_000),
  ...(bad ? { [bad]: -1 } : {}),
});
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

log('started');
outbox.on('sending', ({ records }) => log(`sending ${records.length} ${records[0]?.id ?? ''}`));
for (const name of ['coordination', 'paused', 'resumed', 'error'] as const) outbox.on(name, (event) => log(`${name} ${JSON.stringify(event)}`));
for (const type of ['sync', 'message', 'activate']) self.addEventListener(type, (event) => log(`event ${type} ${event.tag ?? ''} ${outbox.getSnapshot().role}`));
