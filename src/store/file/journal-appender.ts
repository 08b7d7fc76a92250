import { statSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Which file a path names: its device and inode. */
interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/**
 * The journal's end, where changes are appended: one write + `fdatasync` per group of lines,
 * then one `stat` of its path to check it still names the file (synchronous on a local file
 * system: microseconds, and no thread-pool round trip; asynchronous elsewhere).
 *
 * It keeps the file exactly "complete lines only", or says it cannot: after a failed write it
 * cuts the file back to its last complete line, and if that cut fails too (a half line may stay
 * at the end, and anything appended after it would be glued to it and lost on reopen), or if the
 * journal lost its name (its directory was deleted, or it was replaced: what is written could
 * not be found at the next start), it refuses every further append until the store is reopened.
 */
export class JournalAppender {
  readonly #path: string;
  #handle: FileHandle;
  #size: number;
  #refusal: string | undefined;
  /** The file's identity, read once (an open handle keeps its inode from being reused). */
  #identity: FileIdentity | undefined;
  /** Whether the path is checked with a synchronous `stat` (a local file system). */
  readonly #local: boolean;

  private constructor(path: string, handle: FileHandle, size: number, identity: FileIdentity | undefined, local: boolean) {
    this.#path = path;
    this.#handle = handle;
    this.#size = size;
    this.#identity = identity;
    this.#local = local;
  }

  /** Opens `path` for appending (created 0600 if missing); `local`: on a local file system (see `isLocalFileSystem`). */
  static async open(path: string, local: boolean): Promise<JournalAppender> {
    const handle = await open(path, 'a', 0o600);
    try {
      const own = await handle.stat();
      return new JournalAppender(path, handle, own.size, own.nlink > 0 ? { dev: own.dev, ino: own.ino } : undefined, local);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Takes over `handle` (the journal just written by a compaction, `size` bytes long). */
  static adopt(path: string, handle: FileHandle, size: number, local: boolean): JournalAppender {
    return new JournalAppender(path, handle, size, undefined, local);
  }

  /** The journal's size in bytes: its complete lines. */
  get size(): number {
    return this.#size;
  }

  /** Why appends are refused until the store is reopened; undefined while they are not. */
  get refusal(): string | undefined {
    return this.#refusal;
  }

  /** Appends `bytes` (complete lines) and makes them durable; throws if they are not. */
  async append(bytes: Buffer): Promise<void> {
    if (this.#refusal) throw new Error(this.#refusal);
    const before = this.#size;
    try {
      // O_APPEND: every write lands at the end; loop for short writes.
      for (let offset = 0; offset < bytes.length; ) offset += (await this.#handle.write(bytes, offset)).bytesWritten;
      // fdatasync, not fsync: it flushes the size too (what reading the data back needs), not the times.
      await this.#handle.datasync();
      await this.#assertStillNamed();
    } catch (error) {
      if (!this.#refusal) await this.#cutBack(before, error);
      throw error;
    }
    this.#size = before + bytes.length;
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
  }

  /** Cuts what a failed write may have left, so the file holds complete lines only; refuses further appends if it cannot. */
  async #cutBack(size: number, cause: unknown): Promise<void> {
    try {
      await this.#handle.truncate(size);
      await this.#handle.datasync();
    } catch (error) {
      this.#refusal =
        `a write to ${this.#path} failed (${describe(cause)}) and cutting it back to its last complete line failed too ` +
        `(${describe(error)}): part of that write may remain at its end, so writes are refused until the store is reopened (opening cuts it off)`;
    }
  }

  /**
   * Throws (and refuses further appends) if the journal's path no longer names this file: one
   * `stat` of the path against the identity read once. The path names this very inode only while
   * it is linked, so the link count needs no look of its own.
   */
  async #assertStillNamed(): Promise<void> {
    let own = this.#identity;
    if (!own) {
      const stats = await this.#handle.stat();
      if (stats.nlink > 0) own = this.#identity = { dev: stats.dev, ino: stats.ino };
    }
    const named = await this.#stat().catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (own !== undefined && named !== undefined && named.ino === own.ino && named.dev === own.dev) return;
    this.#refusal =
      `the journal ${this.#path} was removed or replaced while the store was open (was its directory deleted?): ` +
      'what is written now could not be found at the next start, so writes are refused until the store is reopened';
    throw new Error(this.#refusal);
  }

  /** `stat` of the path: synchronous on a local file system, asynchronous elsewhere. */
  async #stat(): Promise<FileIdentity> {
    return this.#local ? statSync(this.#path) : stat(this.#path);
  }
}
