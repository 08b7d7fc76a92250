import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreLockedError } from '../api/errors/StoreLockedError.js';

/** What a lock file holds. */
interface LockOwner {
  pid: number;
  host: string;
  /** Random per acquisition, so a process can tell its own lock from a successor's. */
  nonce: string;
  since: string;
}

export interface FileLockOptions {
  /** Wait this long for a live holder to let go before failing. @default 0 (fail at once) */
  readonly waitMs?: number;
  /** Poll interval while waiting. @default 100 */
  readonly pollMs?: number;
}

const UNREADABLE_LOCK_GRACE_MS = 2000;

/** True when `pid` names a live process on this machine. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An exclusive lock on a directory for one process: a `lock` file created with O_EXCL that
 * names its holder. A lock left by a dead process on this host is taken over; a live holder
 * (or one on another host, which cannot be checked) makes `acquire` fail with
 * `StoreLockedError`, or wait when asked.
 */
export class FileLock {
  readonly #dir: string;
  readonly #path: string;
  #owner: LockOwner | undefined;

  constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, 'lock');
  }

  async acquire(options: FileLockOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const holder = await this.#tryCreate();
      if (holder === undefined) return;
      const stale = holder.pid !== undefined && holder.host === hostname() && !isAlive(holder.pid);
      // An unreadable lock may be one a starting process is writing right now: only an old one is stale.
      const unreadable = holder.pid === undefined && (await this.#ageMs()) > UNREADABLE_LOCK_GRACE_MS;
      if ((stale || unreadable) && (await this.#takeOver(holder.nonce))) continue;
      if (Date.now() >= deadline) throw new StoreLockedError(this.#dir, holder.pid, holder.host === hostname() ? undefined : holder.host);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    }
  }

  async #ageMs(): Promise<number> {
    try {
      return Date.now() - (await stat(this.#path)).mtimeMs;
    } catch {
      return Infinity;
    }
  }

  /** Releases the lock if it is still ours. */
  async release(): Promise<void> {
    const owner = this.#owner;
    this.#owner = undefined;
    if (!owner) return;
    const current = await readOwner(this.#path);
    if (current?.nonce === owner.nonce) await unlink(this.#path).catch(() => undefined);
  }

  /** Creates the lock file; returns undefined on success, else what the existing one says. */
  async #tryCreate(): Promise<{ pid: number | undefined; host: string | undefined; nonce: string | undefined } | undefined> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
    try {
      const handle = await open(this.#path, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.#owner = owner;
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = await readOwner(this.#path);
      return { pid: existing?.pid, host: existing?.host, nonce: existing?.nonce };
    }
  }

  /**
   * Moves a stale lock aside. Atomic (rename), and checked afterwards: if what was moved is not
   * the stale lock we saw (another process took it over in between), it is put back.
   */
  async #takeOver(staleNonce: string | undefined): Promise<boolean> {
    const aside = `${this.#path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(this.#path, aside);
    } catch {
      return true; // gone already: try to create it again
    }
    const moved = await readOwner(aside);
    if (moved?.nonce !== staleNonce) {
      await rename(aside, this.#path).catch(() => undefined);
      return false;
    }
    await unlink(aside).catch(() => undefined);
    return true;
  }
}
