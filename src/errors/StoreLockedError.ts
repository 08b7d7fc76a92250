import { OutboxError, errorGuard } from './OutboxError.js';

/** Who holds the lock, as far as the lock file tells. */
export interface StoreLockHolder {
  /** Host of the holder, when it is another machine's process (which cannot be checked from here). */
  readonly host?: string | undefined;
  /** The holder is this very process: another store or outbox here has the directory open. */
  readonly sameProcess?: boolean | undefined;
}

/**
 * The store's lock is held: by another live process (two processes must never drain one queue),
 * or by another store or outbox of this process on the same directory (`sameProcess`).
 */
export class StoreLockedError extends OutboxError {
  override name = 'StoreLockedError' as const;
  /** The store's directory. */
  readonly dir: string;
  /** Process id of the holder, when the lock file names one (this process's own when `sameProcess`). */
  readonly pid: number | undefined;
  /** True when this process holds the lock itself: close the other store or outbox, or share it. */
  readonly sameProcess: boolean;

  constructor(dir: string, pid: number | undefined, holder: StoreLockHolder = {}) {
    super(holder.sameProcess ? sameProcessMessage(dir) : otherProcessMessage(dir, pid, holder.host));
    this.dir = dir;
    this.pid = pid;
    this.sameProcess = holder.sameProcess === true;
  }
}

const sameProcessMessage = (dir: string) =>
  `the outbox store in ${dir} is already open in this process (another FileStore or outbox on the same directory): use that one, or close it first`;

function otherProcessMessage(dir: string, pid: number | undefined, host: string | undefined): string {
  const holder = pid === undefined ? 'another process' : `process ${pid}${host ? ` on ${host}` : ''}`;
  return `the outbox store in ${dir} is locked by ${holder}; stop it, or use another directory`;
}

export const isStoreLockedError = /* @__PURE__ */ errorGuard<StoreLockedError>('StoreLockedError');
