// The pages of an outbox whose service worker sends (`sender: 'service-worker'`): they validate
// and store records, wake the worker (a message, and a Background Sync registration), see its
// events on the outbox's channel, and never send while a worker is registered. With none (never
// registered, or its install failed) they take part in the tabs' election and send as tabs do,
// which the `coordination` event says; once a worker is there again, the sending tab lets go
// after its last request and the worker takes over.
import type { CoordinatedEngine, Coordinator, ForwardedCommand } from '../outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';
import { TabCoordinator } from './tab-coordinator.js';
import type { TabMessage } from './tab-messages.js';
import { syncTagOf, type WorkerMessage } from './worker-messages.js';
import type { MaybeSyncRegistration } from './worker-slices.js';

/** Asks this page's token provider (for a worker whose `auth` is `'from-pages'`); undefined when the page has none. */
export type HandToken = (forceRefresh: boolean) => Promise<string | undefined>;

/** The longest an enqueue waits for the worker to be woken (ms): a browser that never answers holds no enqueue for ever. */
const WAKE_WAIT_MS = 10_000;
const WORKER_SENDS = 'the service worker sends: this page stores records and wakes it';
const NO_WORKER = 'no service worker is registered for this page (or its install failed): the tabs send';

/** The worker of a registration, whichever state it is in. */
const workerOf = (registration: ServiceWorkerRegistration): ServiceWorker | null => registration.active ?? registration.waiting ?? registration.installing;

/** The registration whose worker sends for this page, if there is one that is not failing. */
async function workerRegistration(): Promise<ServiceWorkerRegistration | undefined> {
  const container = typeof navigator === 'object' ? navigator.serviceWorker : undefined;
  if (!container || typeof container.getRegistration !== 'function') return undefined;
  try {
    const registration = await container.getRegistration();
    return registration && workerOf(registration) ? registration : undefined;
  } catch {
    return undefined; // e.g. a sandboxed or opaque origin: no worker can be reached
  }
}

export class ServiceWorkerPages implements Coordinator {
  readonly #name: string;
  readonly #tabs: TabCoordinator;
  readonly #handToken: HandToken | undefined;
  #closed = false;
  /** Installing workers whose failure this page watches for (one listener each, however often it looks). */
  readonly #watched = new WeakSet<ServiceWorker>();
  /** The newest look at the registration (decides between "the worker sends" and "the tabs do"). */
  #looking: Promise<ServiceWorkerRegistration | undefined> | undefined;

  constructor(name: string, handToken?: HandToken) {
    this.#name = name;
    this.#handToken = handToken;
    this.#tabs = new TabCoordinator(name, { contend: false, onOther: (message) => void this.#onOther(message) });
  }

  start(engine: CoordinatedEngine): void {
    this.#tabs.start(engine);
    // No Web Locks or BroadcastChannel: a single tab, said by the tabs' coordinator.
    if (this.#tabs.coordinating) void this.#wake();
  }

  publish<E extends OutboxEventName>(name: E, payload: OutboxEvents[E]): void {
    this.#tabs.publish(name, payload);
  }

  /**
   * Resolves once the worker is woken (the message posted, the sync registered): the page may
   * close then. Never later than `WAKE_WAIT_MS`: a browser that does not answer holds no enqueue.
   */
  async changed(): Promise<void> {
    this.#tabs.changed();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, WAKE_WAIT_MS)));
    await Promise.race([this.#wake().catch(() => undefined), late]).finally(() => clearTimeout(timer));
  }

  forward(command: ForwardedCommand, reason?: PauseReason): void {
    this.#tabs.forward(command, reason);
    if (command === 'drain' || command === 'flush' || command === 'resume') void this.#wake(command);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#tabs.close();
  }

  /** Looks at the registration: wakes the worker and stays a follower, or sends as the tabs do. */
  async #wake(command?: ForwardedCommand): Promise<void> {
    const registration = await this.#look();
    if (this.#closed || !registration) return;
    const message: WorkerMessage = { kind: 'wks-mail-outbox:wake', name: this.#name, command };
    workerOf(registration)?.postMessage(message);
    // The browser fires it when it is online, also after this page is gone (where it has Background Sync).
    await (registration as MaybeSyncRegistration).sync?.register(syncTagOf(this.#name)).catch(() => undefined);
  }

  /** One look at a time; decides the role from it. */
  #look(): Promise<ServiceWorkerRegistration | undefined> {
    this.#looking ??= workerRegistration().then((registration) => {
      this.#looking = undefined;
      if (this.#closed) return registration;
      if (registration) {
        this.#tabs.withdraw(WORKER_SENDS);
        // A first install that fails leaves no worker: then the tabs send.
        const installing = registration.installing;
        if (installing && !this.#watched.has(installing)) {
          this.#watched.add(installing);
          installing.addEventListener('statechange', () => {
            if (installing.state === 'redundant') void this.#look();
          });
        }
      } else {
        this.#tabs.contend(NO_WORKER);
      }
      return registration;
    });
    return this.#looking;
  }

  /** The worker asks for a token: this page's provider answers, to the worker alone. */
  async #onOther(message: TabMessage): Promise<void> {
    if (message.kind !== 'token-wanted' || !this.#handToken) return;
    const token = await this.#handToken(message.forceRefresh).catch(() => undefined);
    const registration = token === undefined ? undefined : await workerRegistration();
    const worker = registration?.active;
    if (token === undefined || !worker || this.#closed) return;
    const handed: WorkerMessage = { kind: 'wks-mail-outbox:token', name: this.#name, token };
    worker.postMessage(handed);
  }
}
