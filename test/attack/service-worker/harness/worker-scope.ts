// A service worker and its pages in one happy-dom realm: the global scope stands in for the
// worker's (serveOutbox listens on it), a fake registration gives it Background Sync, and a fake
// `navigator.serviceWorker` hands the pages that registration, whose active worker's
// `postMessage` becomes a `message` event at the scope (as the browser would deliver it). Every
// promise given to an event's `waitUntil` is timed: a slice is exactly such a promise. Web Locks
// come from the in-process LockManager; BroadcastChannel is Node's (it delivers within a process).
// "Stopping the worker" is closing its outbox (its lock and channel go, as when the browser stops it).
import { serveOutbox, type ServedOutbox, type ServiceWorkerOutboxOptions } from '../../../../src/service-worker.js';
import { deleteDatabase, uniqueName } from '../../../helpers/browser-outboxes.js';
import { installWebLocks } from '../../../helpers/web-locks.js';

/** One promise an event handed to `waitUntil`: when it began and, once settled, how. */
export interface Wait {
  readonly type: string;
  readonly startedAt: number;
  settledAt?: number;
  outcome?: 'resolved' | 'rejected';
}

/** The event a dispatch made, and its `waitUntil` promises (none: the worker left it alone). */
export interface Fired {
  readonly waits: Wait[];
  /** Resolves once every `waitUntil` promise of the event settled: 'resolved', 'rejected', or 'no waitUntil'. */
  readonly settled: Promise<'resolved' | 'rejected' | 'no waitUntil'>;
}

interface Scope {
  registration?: unknown;
  dispatchEvent(event: Event): boolean;
}

const scope = globalThis as unknown as Scope;

/** The worker's scope and the pages' view of its registration, for one test; `dispose()` puts everything back. */
export class WorkerHarness {
  readonly name = uniqueName('sw-attack');
  /** Every `waitUntil` promise so far, in order. */
  readonly waits: Wait[] = [];
  /** Tags registered for Background Sync (by the pages and by the worker). */
  readonly syncTags: string[] = [];
  /** Whether a Background Sync registration is allowed (Chromium: only while a page is open). */
  syncAllowed = true;
  /** Whether the pages see a registration at all (an unregistered worker: they see none). */
  registered = true;
  /** Messages the pages posted to the worker. */
  readonly posted: unknown[] = [];
  #served: ServedOutbox[] = [];
  readonly #removeLocks: () => void;
  readonly #registration: object;

  constructor() {
    this.#removeLocks = installWebLocks();
    const sync = { register: async (tag: string) => (this.syncAllowed ? void this.syncTags.push(tag) : Promise.reject(new DOMException('no window', 'NotAllowedError'))) };
    const active = {
      state: 'activated',
      postMessage: (data: unknown) => {
        this.posted.push(data);
        // Delivered later, as a browser does, and structured-cloned.
        const copy = structuredClone(data);
        setTimeout(() => void this.fire('message', { data: copy }), 0);
      },
      addEventListener: () => undefined,
    };
    this.#registration = { active, waiting: null, installing: null, sync };
    scope.registration = { sync };
    Object.defineProperty(navigator, 'serviceWorker', {
      configurable: true,
      value: { getRegistration: async () => (this.registered ? this.#registration : undefined) },
    });
  }

  /** Starts "the worker": serveOutbox at the scope's top level, as a worker script would. */
  start(options: Omit<ServiceWorkerOutboxOptions, 'name'>): ServedOutbox {
    const served = serveOutbox({ name: this.name, ...options });
    this.#served.push(served);
    return served;
  }

  /** The browser stops the worker: its outbox closes, its lock and channel go. */
  async stop(served: ServedOutbox): Promise<void> {
    await served.close();
    this.#served = this.#served.filter((other) => other !== served);
  }

  /** Fires `type` at the scope as an extendable event, timing each `waitUntil` promise. */
  fire(type: string, fields: Record<string, unknown> = {}): Fired {
    const waits: Wait[] = [];
    const promises: Array<Promise<unknown>> = [];
    const waitUntil = (promise: Promise<unknown>) => {
      const wait: Wait = { type, startedAt: Date.now() };
      waits.push(wait);
      this.waits.push(wait);
      promises.push(
        promise.then(
          () => Object.assign(wait, { settledAt: Date.now(), outcome: 'resolved' }),
          () => Object.assign(wait, { settledAt: Date.now(), outcome: 'rejected' }),
        ),
      );
    };
    const event = Object.assign(new Event(type), { waitUntil, ...fields });
    scope.dispatchEvent(event);
    const settled = Promise.all(promises).then(() => (waits.length === 0 ? 'no waitUntil' : waits.some((wait) => wait.outcome === 'rejected') ? 'rejected' : 'resolved'));
    return { waits, settled: settled as Fired['settled'] };
  }

  /** A `sync` event of the outbox's tag. */
  sync(fields: Record<string, unknown> = {}): Fired {
    return this.fire('sync', { tag: `wks-mail-outbox:${this.name}`, ...fields });
  }

  /** True while some `waitUntil` promise is still open. */
  get inSlice(): boolean {
    return this.waits.some((wait) => wait.settledAt === undefined);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.#served.splice(0).map((served) => served.close()));
    delete scope.registration;
    delete (navigator as { serviceWorker?: unknown }).serviceWorker;
    this.#removeLocks();
    await deleteDatabase(`wks-mail-outbox:${this.name}`);
  }
}

/**
 * Resolves with how `fired` settled, or rejects once `limitMs` has passed with it still open
 * (a slice that does not end: the message names `what`).
 */
export async function settledWithin(fired: Fired, limitMs: number, what: string): Promise<'resolved' | 'rejected' | 'no waitUntil'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: its waitUntil promise was still open ${limitMs} ms after the event`)), limitMs);
  });
  try {
    return await Promise.race([fired.settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
