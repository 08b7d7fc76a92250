// A page of the app in the service-worker tests, driven through `window.swApi`: the browser
// entry with `sender: 'service-worker'` (or 'tabs'), the worker registered on demand. The
// mock's url and project come from the page's query string; the token from the test, into the
// page's memory (a URL is kept by the browser: history, session, HTTP cache keys).
import { createOutbox } from '../../../src/browser.js';
import type { Outbox, OutboxEventName } from '../../../src/index.js';
import { indexedDbText } from '../../../test-browser/support/read-indexeddb.js';
import { cacheStorageText } from '../../../test-browser/support/read-cache-storage.js';

const EVENT_NAMES: readonly OutboxEventName[] = ['enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error', 'coordination'];
const query = new URLSearchParams(location.search);
// `nosync=1`: a browser without Background Sync (Firefox, Safari).
if (query.get('nosync')) Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined });
const seen: Array<{ name: OutboxEventName; event: unknown }> = [];
let outbox: Outbox | undefined;

const api = {
  /** Registers the worker (its query says how it is set up) and waits until it is active. */
  async register(workerQuery: string): Promise<void> {
    await navigator.serviceWorker.register(`/sw.js?${workerQuery}`);
    await navigator.serviceWorker.ready;
  },
  async unregister(): Promise<boolean> {
    const registration = await navigator.serviceWorker.getRegistration();
    return (await registration?.unregister()) ?? false;
  },
  /** `tokenless`: this page's token provider fails (a page that cannot hand the worker a token). */
  create({ tokenless = false, token, ...options }: { name: string; token: string; sender: 'tabs' | 'service-worker'; batchSize?: number; tokenless?: boolean }): void {
    outbox = createOutbox({
      endpoint: query.get('url') ?? '',
      projectId: query.get('projectId') ?? '',
      auth: {
        token: () => {
          if (tokenless) throw new Error('signed out');
          return token;
        },
      },
      retry: { minDelayMs: 20, maxDelayMs: 400, maxAttempts: 1000 },
      ...options,
    });
    for (const name of EVENT_NAMES) outbox.on(name, (event) => seen.push({ name, event }));
  },
  async enqueue(ids: string[]): Promise<number> {
    return (await current().enqueue(ids.map((id) => ({ id })))).added.length;
  },
  count: (name: OutboxEventName): number => seen.filter((event) => event.name === name).length,
  events: (name: OutboxEventName): unknown[] => seen.filter((event) => event.name === name).map((event) => event.event),
  role: () => current().getSnapshot().role,
  total: () => current().getSnapshot().counts.total,
  close: () => current().close(),
  indexedDbText,
  cacheStorageText,
};

function current(): Outbox {
  if (!outbox) throw new Error('call swApi.create() first');
  return outbox;
}

export type SwApi = typeof api;
(window as unknown as { swApi: SwApi }).swApi = api;
