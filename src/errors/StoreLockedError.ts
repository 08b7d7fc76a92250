import { OutboxError, errorGuard } from './OutboxError.js';

/** Another live process holds the store's lock: two processes must never drain one queue. */
export class StoreLockedError extends OutboxError {
  override name = 'StoreLockedError' as const;
  /** The store's directory. */
  readonly dir: string;
  /** Process id of the holder, when the lock file names one. */
  readonly pid: number | undefined;

  constructor(dir: string, pid: number | undefined, host?: string) {
    const holder = pid === undefined ? 'another process' : `process ${pid}${host ? ` on ${host}` : ''}`;
    super(`the outbox store in ${dir} is locked by ${holder}; stop it, or use another directory`);
    this.dir = dir;
    this.pid = pid;
  }
}

export const isStoreLockedError = /* @__PURE__ */ errorGuard<StoreLockedError>('StoreLockedError');
