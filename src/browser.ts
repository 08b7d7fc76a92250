// wks-mail-outbox/browser: the core, plus the IndexedDB store (the default here), one sending tab
// per outbox across tabs, and online/offline handling.
import { createEngine, type Outbox } from './outbox/outbox.js';
import type { OutboxOptions } from './outbox/options.js';
import { isOffline, watchOnline } from './browser/online-watch.js';
import { TabCoordinator } from './browser/tab-coordinator.js';
import { serviceWorkerPages } from './browser/worker-pages-on-demand.js';
import { pageTokenFor } from './browser/page-token.js';
import { IndexedDbStore } from './store/IndexedDbStore.js';
import { parseBrowserExtras } from './options/host-options.js';

export * from './index.js';
export { IndexedDbStore, type IndexedDbStoreOptions } from './store/IndexedDbStore.js';

export interface BrowserOutboxOptions extends OutboxOptions {
  /** Name of the outbox: its IndexedDB database, its Web Lock and its channel. @default 'default' */
  readonly name?: string;
  /** Send in the background as records arrive (the leading tab does). @default true */
  readonly autoStart?: boolean;
  /** Pause while the browser is offline, drain at once when it is back. @default true */
  readonly watchOnline?: boolean;
  /**
   * Who sends: `'tabs'` (one tab of the origin at a time), or `'service-worker'`: the app's
   * service worker (`serveOutbox` from `wks-mail-outbox/service-worker`, same `name`) sends,
   * also after every page is closed; pages store records, wake it and see its events. With no
   * worker registered (or a failed install) the tabs send, and `coordination` says so.
   * @default 'tabs'
   */
  readonly sender?: 'tabs' | 'service-worker';
}

/**
 * `createOutbox` for browsers: unless `options.store` is given, the queue lives in IndexedDB
 * (`IndexedDbStore`, database `wks-mail-outbox:<name>`). Of all tabs with an outbox of the same
 * name exactly one sends (Web Locks); the others store their records and see every event.
 * @example
 * const outbox = createOutbox({ endpoint, projectId, auth: { token: () => session.token() } });
 * outbox.on('sent', (e) => toast(`${e.record.id} sent`));   // fires in every tab
 * await outbox.enqueue(records);
 */
export function createOutbox(options: BrowserOutboxOptions): Outbox {
  const { name, autoStart, watchOnline: watch, sender, core } = parseBrowserExtras(options);
  const coordinator = sender === 'service-worker' ? serviceWorkerPages(name, pageTokenFor(core.auth)) : new TabCoordinator(name);
  const outbox = createEngine(core, {
    makeStore: () => new IndexedDbStore({ name }),
    coordinator,
    initialPause: watch && isOffline() ? 'offline' : undefined,
  });
  const unwatch = watch ? watchOnline(outbox) : () => undefined;
  outbox.on('coordination', ({ role }) => {
    // The new leader looks at the network itself: followers do not act on online/offline.
    if (role === 'leader' && watch && isOffline()) outbox.pause('offline');
  });
  if (autoStart) outbox.start();
  const close = outbox.close.bind(outbox);
  return Object.assign(outbox, {
    close: async () => {
      unwatch();
      await close();
    },
  });
}
