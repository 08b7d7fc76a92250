import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, readdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../errors/StoreError.js';
import { StoreLockedError } from '../../errors/StoreLockedError.js';

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
/**
 * After the lock vanished or a stale one was broken, taking it is retried at once, but only
 * this long past the deadline (a lock that keeps changing hands is then reported as held).
 */
const CHANGE_RETRY_MS = 2000;
/** A temp file `lock.<pid>.<nonce>` lives for milliseconds; one this old is a leftover, whoever made it. */
const STALE_TEMP_MS = 60_000;
/** A lock file is a few dozen bytes; no more than this is read of whatever is there. */
const MAX_LOCK_BYTES = 4096;
const TEMP_NAME = /^lock\.(\d+)\.[0-9a-f]{16}$/;

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

/** The refusal for a live lock: a holder in this process is named as such, not by its (our own) pid. */
function lockedError(dir: string, owner: LockOwner | undefined): StoreLockedError {
  if (owner === undefined) return new StoreLockedError(dir, undefined);
  if (owner.host !== hostname()) return new StoreLockedError(dir, owner.pid, { host: owner.host });
  return new StoreLockedError(dir, owner.pid, { sameProcess: owner.pid === process.pid && HELD_HERE.has(owner.nonce) });
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
    const owner = JSON.parse(text) as Partial<LockOwner> | null;
    return Number.isSafeInteger(owner?.pid) && (owner?.pid as number) > 0 && typeof owner?.host === 'string' && typeof owner.nonce === 'string'
      ? (owner as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
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
 * What is at the lock's path: a lock file (its holder, if readable, and its identity), or
 * something that cannot be used as one (`what`: what it is and what to do about it).
 */
type SeenLock = { kind: 'file'; owner: LockOwner | undefined; ino: number; mtimeMs: number; size: number } | { kind: 'foreign'; what: string };

const notOurs = (what: string, dir: string) => `${what}, not a lock file written by this library: remove it if no process uses the store in ${dir}`;

/**
 * Looks at the lock's path without following a symlink and without blocking (a FIFO would block
 * a plain read forever): undefined when there is nothing.
 */
async function inspectLock(path: string, dir: string): Promise<SeenLock | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') return { kind: 'foreign', what: notOurs('is a symbolic link', dir) };
    if (code === 'EACCES' || code === 'EPERM') {
      return { kind: 'foreign', what: `cannot be read (${code}: permission denied): it may be the lock of another user's process; check who uses the store in ${dir}` };
    }
    throw error;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { kind: 'foreign', what: notOurs('is a directory', dir) };
    if (!info.isFile()) return { kind: 'foreign', what: notOurs('is not a regular file', dir) };
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    return { kind: 'file', owner: parseOwner(buffer.toString('utf8', 0, bytesRead)), ino: info.ino, mtimeMs: info.mtimeMs, size: info.size };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * An exclusive lock on a directory for one process: a `lock` file naming its holder.
 *
 * - Taking it is one atomic `link()` of a complete temp file, so nobody ever reads a half-written lock.
 * - A lock left by a dead process on this host is broken while holding `lock.break` (O_EXCL),
 *   and only if it is still the very lock seen dead (same nonce): two processes racing for a
 *   stale lock cannot both win, and a live lock is never moved.
 * - A live holder, or one on another host (which cannot be checked), makes `acquire` fail
 *   with `StoreLockedError`, or wait when asked.
 * - Every wait has a deadline. Something at the lock's path that is not a lock file this
 *   library writes (a symlink, a directory, a FIFO, a file this user cannot read) is never
 *   followed, removed or spun on: once the wait is over it is reported as a `StoreError`.
 * - Temp files `lock.<pid>.<nonce>` left by dead processes are removed when the lock is taken.
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
    const pollMs = options.pollMs ?? 100;
    await this.#removeLeftoverTemps();
    for (let changes = 0; ; ) {
      if (await this.#tryCreate()) return;
      const seen = await inspectLock(this.#path, this.#dir);
      const stale = seen?.kind === 'file' && (seen.owner ? isStaleOwner(seen.owner) : Date.now() - seen.mtimeMs > UNREADABLE_LOCK_GRACE_MS);
      if (seen === undefined || (stale && (await this.#breakStale(seen)))) {
        // It vanished meanwhile, or a stale one was broken: try again at once (a few times), never forever.
        if (Date.now() >= deadline + CHANGE_RETRY_MS) throw new StoreLockedError(this.#dir, undefined);
        if (++changes > 3) await sleep(Math.min(pollMs, 10));
        continue;
      }
      if (Date.now() >= deadline) {
        if (seen.kind === 'foreign') {
          throw new StoreError('open', `${this.#path} ${seen.what}`);
        }
        throw lockedError(this.#dir, seen.owner);
      }
      await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
    }
  }

  /** Releases the lock if it is still ours. */
  async release(): Promise<void> {
    const owner = this.#owner;
    this.#owner = undefined;
    HELD_HERE.delete(owner?.nonce ?? '');
    if (!owner) return;
    const current = await inspectLock(this.#path, this.#dir).catch(() => undefined);
    if (current?.kind === 'file' && current.owner?.nonce === owner.nonce) await unlink(this.#path).catch(() => undefined);
  }

  /** Writes our lock to a temp file and links it into place; false when a lock exists. */
  async #tryCreate(): Promise<boolean> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
    const temp = `${this.#path}.${process.pid}.${owner.nonce}`;
    const handle = await open(temp, 'wx', 0o600);
    // Known as ours before the link makes it visible: another opener in this process that reads
    // the new lock between the link and the line after it must see it held, not stale.
    HELD_HERE.add(owner.nonce);
    try {
      await handle.writeFile(JSON.stringify(owner));
      await handle.sync();
      await handle.close();
      await link(temp, this.#path);
      this.#owner = owner;
      return true;
    } catch (error) {
      HELD_HERE.delete(owner.nonce);
      await handle.close().catch(() => undefined);
      if (isCode(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Removes `lock.<pid>.<nonce>` files of processes that died between writing and removing them. */
  async #removeLeftoverTemps(): Promise<void> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
      if (!Number.isSafeInteger(pid) || pid <= 0) continue;
      const path = join(this.#dir, name);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      const age = Date.now() - info.mtimeMs;
      // A live process's temp file exists for milliseconds; a dead process cannot be mid-way.
      if (age > STALE_TEMP_MS || (age > UNREADABLE_LOCK_GRACE_MS && pid !== process.pid && !isAlive(pid))) await unlink(path).catch(() => undefined);
    }
  }

  /**
   * Removes the lock if it is still the stale one seen (same nonce; for an unreadable one, same
   * inode, time and size), under the `lock.break` mutex. True when the caller should look again.
   */
  async #breakStale(seen: SeenLock & { kind: 'file' }): Promise<boolean> {
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
      const now = await inspectLock(this.#path, this.#dir);
      const same =
        now?.kind === 'file' &&
        (seen.owner ? now.owner?.nonce === seen.owner.nonce : !now.owner && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs && now.size === seen.size);
      if (same) {
        await unlink(this.#path).catch((error: unknown) => {
          if (!isCode(error, 'ENOENT')) throw error; // e.g. EACCES: say so rather than try again and again
        });
      }
      return true;
    } finally {
      await handle.close();
      await unlink(breaker).catch(() => undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
