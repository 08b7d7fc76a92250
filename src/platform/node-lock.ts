import { randomBytes } from 'node:crypto';
import { link, open, readFile, stat, unlink } from 'node:fs/promises';
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

/** A lock file that cannot be read is only treated as stale once it is this old. */
const UNREADABLE_LOCK_GRACE_MS = 2000;
/** A `lock.break` file older than this was left by a breaker that died mid-way. */
const STALE_BREAKER_MS = 10_000;

/** Nonces of the locks this process holds (any number of stores, one per directory). */
const HELD_HERE = new Set<string>();

/**
 * A lock of this host is stale when its process is gone, or when it names this very process
 * but not a lock it holds: a previous incarnation with the same pid (a restarted container's
 * pid 1, say), which `kill(pid, 0)` would wrongly report alive.
 */
function isStaleOwner(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !HELD_HERE.has(owner.nonce);
  return !isAlive(owner.pid);
}

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

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.nonce === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  return parseOwner(await readFile(path, 'utf8').catch(() => ''));
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return Infinity;
  }
}

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/**
 * An exclusive lock on a directory for one process: a `lock` file naming its holder.
 *
 * - Taking it is one atomic `link()` of a complete temp file, so nobody ever reads a half-written lock.
 * - A lock left by a dead process on this host is broken while holding `lock.break` (O_EXCL),
 *   and only if it is still the very lock seen dead (same nonce): two processes racing for a
 *   stale lock cannot both win, and a live lock is never moved.
 * - A live holder, or one on another host (which cannot be checked), makes `acquire` fail
 *   with `StoreLockedError`, or wait when asked.
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
      if (await this.#tryCreate()) return;
      const seen = await this.#inspect();
      if (!seen) continue; // it vanished meanwhile: try again at once
      const stale = seen.owner ? isStaleOwner(seen.owner) : Date.now() - seen.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
      if (stale && (await this.#breakStale(seen))) continue;
      if (Date.now() >= deadline) {
        const owner = seen.owner;
        throw new StoreLockedError(this.#dir, owner?.pid, owner && owner.host !== hostname() ? owner.host : undefined);
      }
      await sleep(options.pollMs ?? 100);
    }
  }

  /** Releases the lock if it is still ours. */
  async release(): Promise<void> {
    const owner = this.#owner;
    this.#owner = undefined;
    HELD_HERE.delete(owner?.nonce ?? '');
    if (!owner) return;
    const current = await readOwner(this.#path);
    if (current?.nonce === owner.nonce) await unlink(this.#path).catch(() => undefined);
  }

  /** Writes our lock to a temp file and links it into place; false when a lock exists. */
  async #tryCreate(): Promise<boolean> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
    const temp = `${this.#path}.${process.pid}.${owner.nonce}`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(owner));
      await handle.sync();
      await handle.close();
      await link(temp, this.#path);
      this.#owner = owner;
      HELD_HERE.add(owner.nonce);
      return true;
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** The lock file as it is now: its holder (if readable) and its identity; undefined if there is none. */
  async #inspect(): Promise<SeenLock | undefined> {
    try {
      const text = await readFile(this.#path, 'utf8');
      const info = await stat(this.#path);
      return { owner: parseOwner(text), ino: info.ino, mtimeMs: info.mtimeMs, size: info.size };
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /**
   * Removes the lock if it is still the stale one seen (same nonce; for an unreadable one, same
   * inode, time and size), under the `lock.break` mutex. True when the caller should look again.
   */
  async #breakStale(seen: SeenLock): Promise<boolean> {
    const breaker = `${this.#path}.break`;
    let handle;
    try {
      handle = await open(breaker, 'wx', 0o600);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      // Someone else is breaking it (or died doing so long ago): give them a moment.
      if ((await ageMs(breaker)) > STALE_BREAKER_MS) await unlink(breaker).catch(() => undefined);
      await sleep(5);
      return true;
    }
    try {
      const now = await this.#inspect();
      const same =
        now !== undefined &&
        (seen.owner
          ? now.owner?.nonce === seen.owner.nonce
          : !now.owner && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size);
      if (same) await unlink(this.#path).catch(() => undefined);
      return true;
    } finally {
      await handle.close();
      await unlink(breaker).catch(() => undefined);
    }
  }
}

interface SeenLock {
  owner: LockOwner | undefined;
  ino: number;
  mtimeMs: number;
  size: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
