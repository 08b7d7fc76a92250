import { open, stat, type FileHandle } from 'node:fs/promises';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The journal's end, where changes are appended: one write + `fdatasync` per group of lines.
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

  private constructor(path: string, handle: FileHandle, size: number) {
    this.#path = path;
    this.#handle = handle;
    this.#size = size;
  }

  /** Opens `path` for appending (created 0600 if missing). */
  static async open(path: string): Promise<JournalAppender> {
    const handle = await open(path, 'a', 0o600);
    try {
      return new JournalAppender(path, handle, (await handle.stat()).size);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Takes over `handle` (the journal just written by a compaction, `size` bytes long). */
  static adopt(path: string, handle: FileHandle, size: number): JournalAppender {
    return new JournalAppender(path, handle, size);
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

  /** Throws (and refuses further appends) if the journal's path no longer names this file. */
  async #assertStillNamed(): Promise<void> {
    const own = await this.#handle.stat();
    const named = await stat(this.#path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (own.nlink > 0 && named !== undefined && named.ino === own.ino && named.dev === own.dev) return;
    this.#refusal =
      `the journal ${this.#path} was removed or replaced while the store was open (was its directory deleted?): ` +
      'what is written now could not be found at the next start, so writes are refused until the store is reopened';
    throw new Error(this.#refusal);
  }
}
