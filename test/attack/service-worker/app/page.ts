// A page of the attack app, driven through `window.attack`: the browser entry (`sender` as
// asked), the worker registered on demand (classic or module script), every event kept, and
// token providers of several kinds (fixed, failing, hanging, stale until asked to refresh). The
// token comes from the test into the page's memory only.
import { createOutbox } from '../../../../src/browser.js';
import type { Outbox, OutboxEventName } from '../../../../src/index.js';
import { indexedDbText } from '../../../../test-browser/support/read-indexeddb.js';
import { cacheStorageText } from '../../../../test-browser/support/read-cache-storage.js';

const NAMES: readonly OutboxEventName[] = ['enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error', 'coordination'];
const query = new URLSearchParams(location.search);
const seen: Array<{ name: OutboxEventName; event: unknown }> = [];
/** The `forceRefresh` of each time the page's provider was asked. */
const asked: boolean[] = [];
let notified = 0;
let outbox: Outbox | undefined;

export type TokenMode = 'fixed' | 'fail' | 'hang' | 'stale-until-refresh';

export interface CreateOptions {
  name: string;
  sender: 'tabs' | 'service-worker';
  token: string;
  /** 'stale-until-refresh': `staleToken` until asked with forceRefresh, then `token`. */
  tokenMode?: TokenMode;
  staleToken?: string;
  batchSize?: number;
}

function tokenProvider({ tokenMode = 'fixed', token, staleToken = '' }: CreateOptions) {
  return ({ forceRefresh }: { forceRefresh: boolean }): string | Promise<string> => {
    asked.push(forceRefresh);
    if (tokenMode === 'fail') throw new Error('signed out');
    if (tokenMode === 'hang') return new Promise<string>(() => undefined);
    if (tokenMode === 'stale-until-refresh' && !forceRefresh && !asked.slice(0, -1).includes(true)) return staleToken;
    return token;
  };
}

const api = {
  /** Registers `/sw.js` (or the module build) with `workerQuery`; waits until it is active unless `wait` is false. */
  async register(workerQuery: string, { module = false, wait = true } = {}): Promise<string> {
    try {
      await navigator.serviceWorker.register(module ? `/sw-module.js?${workerQuery}` : `/sw.js?${workerQuery}`, module ? { type: 'module' } : {});
      if (!wait) return 'registered';
      const late = new Promise<string>((resolve) => setTimeout(() => resolve('not active after 30 s'), 30_000));
      return await Promise.race([navigator.serviceWorker.ready.then(() => 'registered'), late]);
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  },
  /** A slow service-worker registry: `getRegistration()` answers after `ms` (a busy browser, a slow disk). */
  slowRegistry(ms: number): void {
    const container = navigator.serviceWorker;
    const getRegistration = container.getRegistration.bind(container);
    container.getRegistration = (...args) => new Promise((resolve) => setTimeout(() => resolve(getRegistration(...args)), ms));
  },
  /** Who holds and who waits for the outbox's Web Lock (client ids), as the browser says. */
  async lockClients(name: string): Promise<{ held: string[]; pending: string[] }> {
    const { held = [], pending = [] } = await navigator.locks.query();
    const of = (locks: LockInfo[]) => locks.filter((lock) => lock.name === `wks-mail-outbox:${name}`).map((lock) => lock.clientId ?? '?');
    return { held: of(held), pending: of(pending) };
  },
  async unregister(): Promise<boolean> {
    const registration = await navigator.serviceWorker.getRegistration();
    return (await registration?.unregister()) ?? false;
  },
  create(options: CreateOptions): void {
    outbox = createOutbox({
      endpoint: query.get('url') ?? '',
      projectId: query.get('projectId') ?? '',
      auth: { token: tokenProvider(options) },
      retry: { minDelayMs: 20, maxDelayMs: 400, maxAttempts: 10_000, jitter: 0 },
      name: options.name,
      sender: options.sender,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    for (const name of NAMES) outbox.on(name, (event) => void seen.push({ name, event }));
    outbox.subscribe(() => void notified++);
  },
  async enqueue(ids: string[]): Promise<number> {
    return (await current().enqueue(ids.map((id) => ({ id })))).added.length;
  },
  drain: () => current().drain(),
  flush: () => current().flush(),
  pause: () => current().pause(),
  resume: () => current().resume(),
  snapshot: () => {
    const { role, pausedReason, counts } = current().getSnapshot();
    return { role, pausedReason: pausedReason ?? null, total: counts.total, notified };
  },
  events: (name: OutboxEventName): unknown[] => seen.filter((event) => event.name === name).map((event) => event.event),
  asked: () => [...asked],
  close: () => current().close(),
  indexedDbText,
  cacheStorageText,
};

function current(): Outbox {
  if (!outbox) throw new Error('call attack.create() first');
  return outbox;
}

export type AttackApi = typeof api;
(window as unknown as { attack: AttackApi }).attack = api;
