// wks-mail-outbox/service-worker: the outbox hosted in the app's service worker, so records go
// out after the last page is closed. It drains the pages' IndexedDB store (same `name`) in
// slices, one per event that wakes the worker, and takes the same Web Lock as the tabs: exactly
// one of {worker, tabs} sends at any moment.
import type { Auth } from './api/auth.js';
import { isOffline, watchOnline } from './browser/online-watch.js';
import { TabCoordinator } from './browser/tab-coordinator.js';
import { TokenFromPages } from './browser/token-from-pages.js';
import { isWorkerMessage, syncTagOf } from './browser/worker-messages.js';
import { WorkerSlices, type MaybeSyncRegistration, type SliceEnd } from './browser/worker-slices.js';

export type { SliceEnd } from './browser/worker-slices.js';
import { parseBrowserExtras } from './options/host-options.js';
import { parseWorkerExtras } from './options/worker-options.js';
import { createEngine } from './outbox/outbox.js';
import type { Outbox } from './outbox/outbox-interface.js';
import { resolveOptions, type OutboxOptions } from './outbox/options.js';
import { IndexedDbStore } from './store/IndexedDbStore.js';
import { provideSigner } from './api/signer.js';
import * as signRequest from './api/sign-request.js';
import { provideDateReader } from './api/retry-after-values.js';
import { parseHttpDate } from './api/http-date.js';

// Browsers refuse `import()` in a service worker: the modules the client loads on demand
// elsewhere (the AK/SK signer, the Retry-After date reader) are part of this entry instead.
provideSigner(signRequest);
provideDateReader(parseHttpDate);

export * from './index.js';

export interface ServiceWorkerOutboxOptions extends Omit<OutboxOptions, 'auth' | 'store'> {
  /** The outbox's name: the pages' `createOutbox({ name, sender: 'service-worker' })` uses the same. @default 'default' */
  readonly name?: string;
  /**
   * Credentials, defined in the worker script (e.g. `{ token: ({ forceRefresh }) => fetch('/api/token', …) }`,
   * a same-origin call with the session's cookies), or `'from-pages'`: a page hands its token to
   * the worker when asked, and the worker keeps it in memory only (lost when the browser stops
   * the worker: it then pauses, `auth`, until a page hands a new one).
   */
  readonly auth: Auth | 'from-pages';
  /** Pause while offline; the browser's sync event comes when it is back. @default true */
  readonly watchOnline?: boolean;
  /** Longest one slice of sending runs inside one event (ms, 1000–240000). @default 60000 */
  readonly sliceMs?: number;
  /** With `auth: 'from-pages'`: how long to wait for a page's token (ms) before pausing (`auth`). @default 5000 */
  readonly tokenWaitMs?: number;
}

/** The worker's outbox: an `Outbox`, plus `slice()` to send for one event of your own. */
export interface ServedOutbox extends Outbox {
  /** Drains for at most `sliceMs` (joining a slice under way); give it to your own `event.waitUntil`. */
  slice(): Promise<SliceEnd>;
}

/** The service worker's global scope, as far as the outbox needs it. */
interface WorkerScope {
  addEventListener(type: string, listener: (event: ExtendableEventLike) => void): void;
  removeEventListener(type: string, listener: (event: ExtendableEventLike) => void): void;
  readonly registration?: MaybeSyncRegistration;
}

interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
  readonly tag?: string;
  readonly lastChance?: boolean;
  readonly data?: unknown;
}

/**
 * Hosts the outbox in a service worker. Call it at the top level of the worker script (the
 * browser wants event listeners added during the script's first run). It listens for `sync`
 * (its tag), messages from the pages and `activate`, and drains for each in a slice.
 * @example
 * // sw.js
 * import { serveOutbox } from 'wks-mail-outbox/service-worker';
 * serveOutbox({ endpoint, projectId, auth: 'from-pages' });
 */
export function serveOutbox(options: ServiceWorkerOutboxOptions): ServedOutbox {
  const scope = globalThis as unknown as WorkerScope;
  const { sliceMs, tokenWaitMs, fromPages, rest } = parseWorkerExtras(options);
  const { name, watchOnline: watch, core } = parseBrowserExtras(rest);
  // A page's drain() or flush() reaches the sending worker as a slice (bounded), never as an
  // open-ended drain that would outlive the event keeping the worker alive.
  const tag = syncTagOf(name);
  const slices: WorkerSlices = new WorkerSlices({ outbox: () => outbox, sliceMs, tag, registration: () => scope.registration, reread: (): Promise<void> => coordinator.sync() });
  const coordinator: TabCoordinator = new TabCoordinator(name, {
    // Noted for the next slice, not run now: nothing is sent outside an event that keeps the
    // worker alive. A page of `sender: 'service-worker'` sends its wake message with it; for any
    // other page, the worker asks the browser for a sync event (allowed while a page is open).
    onCommand: (command): boolean => {
      if (command !== 'drain' && command !== 'flush') return false;
      slices.ask(command);
      void scope.registration?.sync?.register(tag).catch(() => undefined);
      return true;
    },
  });
  const tokens = fromPages ? new TokenFromPages(tokenWaitMs, (forceRefresh) => coordinator.post({ kind: 'token-wanted', forceRefresh })) : undefined;
  const engineOptions = tokens ? { ...core, auth: { token: tokens.provider } } : (core as OutboxOptions);
  const { requestTimeoutMs } = resolveOptions(engineOptions); // every option checked before the scope is
  // The token provider gets requestTimeoutMs: a longer wait for a page would never end in a pause.
  if (tokens && tokenWaitMs >= requestTimeoutMs) throw new TypeError(`tokenWaitMs must be less than requestTimeoutMs (${requestTimeoutMs}), got ${tokenWaitMs}`);
  if (typeof scope.addEventListener !== 'function') throw new TypeError('serveOutbox must run in a service worker (its global scope has no addEventListener here)');
  const outbox = createEngine(engineOptions, {
    makeStore: () => new IndexedDbStore({ name }),
    coordinator,
    initialPause: watch && isOffline() ? 'offline' : undefined,
  });
  const unwatch = watch ? watchOnline(outbox) : () => undefined;
  // Whether the pause for `offline` is the browser's (this worker saw it offline), not a page's pause().
  let offlineHere = watch && isOffline();
  const onOffline = () => void (offlineHere = watch);
  outbox.on('resumed', () => void (offlineHere = false));

  const onSync = (event: ExtendableEventLike) => {
    if (event.tag !== tag) return;
    // The browser fires sync when it is online; its `online` event may come a moment later.
    if (outbox.pausedReason === 'offline' && offlineHere) outbox.resume();
    // Records left and no other way to be woken: the event fails, and the browser fires it again later.
    const slice = slices.run().then((end) => {
      if (end === 'left' && !event.lastChance) throw new Error('wks-mail-outbox: records are still waiting; sync again later');
    });
    event.waitUntil(slice);
  };
  const onMessage = (event: ExtendableEventLike) => {
    const message = event.data;
    if (!isWorkerMessage(message, name)) return;
    // (A pause for want of a token is lifted by the slice: this page is asked again.)
    if (message.kind === 'wks-mail-outbox:token') tokens?.hand(message.token);
    // A page's resume() comes with its wake: resumed first, then the slice sends.
    else if (message.command === 'resume') outbox.resume();
    event.waitUntil(slices.run(message.kind === 'wks-mail-outbox:wake' ? message.command : undefined));
  };
  const onActivate = (event: ExtendableEventLike) => event.waitUntil(slices.run());
  scope.addEventListener('sync', onSync);
  scope.addEventListener('message', onMessage);
  scope.addEventListener('activate', onActivate);
  scope.addEventListener('offline', onOffline);

  const close = outbox.close.bind(outbox);
  const closeServed = async () => {
    scope.removeEventListener('sync', onSync);
    scope.removeEventListener('message', onMessage);
    scope.removeEventListener('activate', onActivate);
    scope.removeEventListener('offline', onOffline);
    unwatch();
    await close();
  };
  return Object.assign(outbox, { slice: () => slices.run(), close: closeServed, [Symbol.asyncDispose]: closeServed });
}
