import { chmod, mkdir, open, readFile, truncate, unlink, appendFile, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OutboxClosedError } from '../api/errors/OutboxClosedError.js';
import { StoreError } from '../api/errors/StoreError.js';
import { isOutboxError } from '../api/errors/OutboxError.js';
import { FileLock } from '../platform/node-lock.js';
import type { OutboxEntry } from './entry.js';
import { fsyncDirectory, replaceFileDurably } from './file/fs-durable.js';
import { encodeChange, replayJournal, snapshotText, type JournalChange } from './file/journal-format.js';
import type { QueueStore, StoreContents } from './QueueStore.js';

export interface FileStoreOptions {
  /** Directory of the store (created 0700 if missing). One process at a time may open it. */
  readonly dir: string;
  /** How long to wait for a live process holding the lock before failing with `StoreLockedError`. @default 0 */
  readonly lockWaitMs?: number;
  /** Compact once the journal holds this many lines more than twice the live entries. @default 1000 */
  readonly compactSlack?: number;
}

interface PendingWrite {
  text: string;
  apply: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const JOURNAL = 'journal.jsonl';
const QUARANTINE = 'quarantine.jsonl';

/**
 * A crash-safe store in a directory: an append-only journal (one JSON change per line, each
 * `fsync`ed before its promise resolves; concurrent writes share one write and one `fsync`),
 * compacted by write-temp → fsync → rename → fsync-directory, repaired on open (a torn last line
 * is cut, corrupt lines are moved to `quarantine.jsonl`), and locked against a second process.
 */
export class FileStore implements QueueStore {
  readonly dir: string;
  readonly #options: FileStoreOptions;
  readonly #lock: FileLock;
  readonly #entries = new Map<string, OutboxEntry>();
  readonly #meta = new Map<string, number>();
  #problems: string[] = [];
  /** Set by the outbox: background trouble goes out through its `error` event. */
  onProblem: ((problem: string) => void) | undefined;
  #journal: FileHandle | undefined;
  #size = 0;
  #lines = 0;
  #queue: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;
  #opened: Promise<void> | undefined;
  #closed = false;

  constructor(options: FileStoreOptions) {
    if (options === null || typeof options !== 'object' || typeof options.dir !== 'string' || options.dir === '') {
      throw new TypeError('FileStore needs options.dir, a directory path');
    }
    this.#options = options;
    this.dir = resolve(options.dir);
    this.#lock = new FileLock(this.dir);
  }

  /** The journal's path (for tools and tests). */
  get journalPath(): string {
    return join(this.dir, JOURNAL);
  }

  /** Where unreadable lines go on open. */
  get quarantinePath(): string {
    return join(this.dir, QUARANTINE);
  }

  async load(): Promise<StoreContents> {
    await this.#ready('load');
    const problems = this.#problems;
    this.#problems = [];
    // Replayed entries were checked line by line on open.
    const contents: StoreContents = { entries: structuredClone([...this.#entries.values()]), meta: Object.fromEntries(this.#meta), validated: true };
    if (problems.length > 0) contents.problems = problems;
    return contents;
  }

  async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return this.#ready('putMany');
    // Encoded once; the store's own copies are read back from that line (cheaper than a clone,
    // and exactly what a reopen will see).
    const line = encodeChange({ put: entries as OutboxEntry[] });
    return this.#commitLine('putMany', line, () => {
      for (const entry of (JSON.parse(line) as { put: OutboxEntry[] }).put) this.#entries.set(entry.key, entry);
    });
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    // Written even for keys not applied yet: a put of the same key may still be in the queue.
    if (keys.length === 0) return this.#ready('deleteMany');
    const removed = [...keys];
    return this.#commit('deleteMany', { del: removed }, () => {
      for (const key of removed) this.#entries.delete(key);
    });
  }

  async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    const meta = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? null]));
    return this.#commit('setMeta', { meta }, () => {
      for (const [key, value] of Object.entries(meta)) {
        if (value === null) this.#meta.delete(key);
        else this.#meta.set(key, value);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opened?.catch(() => undefined);
    await this.#flushing;
    await this.#journal?.close().catch(() => undefined);
    this.#journal = undefined;
    await this.#lock.release();
  }

  async #ready(operation: string): Promise<void> {
    if (this.#closed) throw new OutboxClosedError(`FileStore.${operation}`);
    this.#opened ??= this.#open();
    await this.#opened;
  }

  #commit(operation: string, change: JournalChange, apply: () => void): Promise<void> {
    return this.#commitLine(operation, encodeChange(change), apply);
  }

  async #commitLine(operation: string, text: string, apply: () => void): Promise<void> {
    await this.#ready(operation);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ text, apply, resolve, reject: (error) => reject(toStoreError(operation, error)) });
      this.#flushing ??= this.#flush();
    });
  }

  /** Group commit: everything queued while the last write ran goes out in one write and one fsync. */
  async #flush(): Promise<void> {
    // Yield first: `#flushing ??= this.#flush()` must be assigned before this can clear it.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      const bytes = Buffer.from(group.map((write) => write.text).join(''));
      const before = this.#size;
      try {
        const journal = this.#journal as FileHandle;
        // O_APPEND: every write lands at the end; loop for short writes.
        for (let offset = 0; offset < bytes.length; ) offset += (await journal.write(bytes, offset)).bytesWritten;
        await journal.datasync();
      } catch (error) {
        // Cut what may have reached the file, so disk and memory agree (nothing half-written).
        await truncate(this.journalPath, before).catch(() => undefined);
        for (const write of group) write.reject(error);
        continue;
      }
      this.#size += bytes.length;
      this.#lines += group.length;
      for (const write of group) {
        write.apply();
        write.resolve();
      }
      if (this.#lines > 2 * this.#entries.size + (this.#options.compactSlack ?? 1000)) {
        // The journal stays valid when compaction fails; it is tried again after the next write.
        await this.#compact().catch((error: unknown) =>
          this.onProblem?.(`compacting ${this.journalPath} failed (the journal stays valid and keeps growing): ${toStoreError('compact', error).message}`),
        );
      }
    }
    this.#flushing = undefined;
  }

  async #compact(): Promise<void> {
    const text = snapshotText(this.#entries.values(), this.#meta);
    // The handle comes from before the rename, so appends can never go to the replaced file.
    const journal = await replaceFileDurably(this.journalPath, text, (error) =>
      this.onProblem?.(`fsync of ${this.dir} after compacting failed: ${toStoreError('compact', error).message}`),
    );
    const old = this.#journal;
    this.#journal = journal;
    await old?.close().catch(() => undefined);
    this.#size = Buffer.byteLength(text);
    this.#lines = this.#entries.size + (this.#meta.size > 0 ? 1 : 0);
  }

  async #open(): Promise<void> {
    try {
      await makeDirectory(this.dir);
      await chmod(this.dir, 0o700).catch(() => undefined);
      await this.#lock.acquire({ waitMs: this.#options.lockWaitMs ?? 0 });
    } catch (error) {
      throw toStoreError('open', error);
    }
    try {
      await unlink(`${this.journalPath}.tmp`).catch(() => undefined); // a compaction cut short
      await this.#recover();
      // Recovery may have compacted, which opens the journal already.
      this.#journal ??= await open(this.journalPath, 'a', 0o600);
      await chmod(this.journalPath, 0o600);
    } catch (error) {
      await this.#journal?.close().catch(() => undefined);
      this.#journal = undefined;
      await this.#lock.release();
      throw toStoreError('open', error);
    }
  }

  /** Reads the journal back: a torn last line is cut, corrupt lines are quarantined. */
  async #recover(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.journalPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const replayed = replayJournal(bytes);
    for (const [key, entry] of replayed.entries) this.#entries.set(key, entry);
    for (const [key, value] of replayed.meta) this.#meta.set(key, value);
    this.#size = replayed.goodLength;
    this.#lines = replayed.lines;
    if (replayed.goodLength < bytes.length) {
      const journal = await open(this.journalPath, 'r+');
      try {
        await journal.truncate(replayed.goodLength);
        await journal.datasync();
      } finally {
        await journal.close();
      }
      this.#problems.push(`dropped a torn last write (${bytes.length - replayed.goodLength} bytes) from ${this.journalPath}`);
    }
    if (replayed.corrupt.length > 0) {
      const at = new Date().toISOString();
      const lines = replayed.corrupt.map((bad) => JSON.stringify({ quarantinedAt: at, line: bad.line, why: bad.why, text: bad.text })).join('\n');
      await appendFile(this.quarantinePath, `${lines}\n`, { mode: 0o600 });
      await fsyncDirectory(this.dir);
      await this.#compact(); // rewrite without them, so they are not read again
      this.#problems.push(
        `moved ${replayed.corrupt.length} unreadable journal line(s) (line ${replayed.corrupt.map((bad) => bad.line).join(', ')}) to ${this.quarantinePath}`,
      );
    }
  }
}

/**
 * `mkdir -p`, but with the real reason when it fails: Node's recursive mkdir reports ENOENT for a
 * read-only or full file system (nodejs/node#47098), so ask once more without `recursive`.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    if (!isCodeOf(error, 'ENOENT')) throw error;
    await mkdir(dir, { mode: 0o700 }).catch((plain: unknown) => {
      throw isCodeOf(plain, 'EEXIST') ? error : plain;
    });
  }
}

function isCodeOf(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException)?.code === code;
}

function toStoreError(operation: string, error: unknown): Error {
  if (isOutboxError(error)) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const hint = code === 'ENOSPC' ? ' (disk full)' : code === 'EROFS' ? ' (read-only file system)' : code === 'EACCES' || code === 'EPERM' ? ' (permission denied)' : '';
  return new StoreError(operation, `${message}${hint}`, { cause: error });
}
