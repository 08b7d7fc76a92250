import { chmod, mkdir, open, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import { StoreError } from '../errors/StoreError.js';
import { toStoreError } from '../errors/to-store-error.js';
import { FileLock } from './file/file-lock.js';
import type { OutboxEntry } from './entry.js';
import { DEFAULT_COMPACT_SLACK, needsCompaction } from './file/compaction-policy.js';
import { replaceFileDurably } from './file/fs-durable.js';
import { JournalAppender } from './file/journal-appender.js';
import { isLocalFileSystem } from './file/local-file-system.js';
import { encodeDelete, encodeMeta, encodePut, type EncodedChange } from './file/journal-format.js';
import { readJournal } from './file/journal-reader.js';
import { LiveSet } from './file/live-set.js';
import { QuarantineWriter } from './file/quarantine.js';
import type { QueueStore, StoreContents } from './QueueStore.js';

export interface FileStoreOptions {
  /** Directory of the store (created 0700 if missing). One process at a time may open it. */
  readonly dir: string;
  /** How long to wait for a live process holding the lock before failing with `StoreLockedError`. @default 0 */
  readonly lockWaitMs?: number;
  /**
   * Compact once the journal holds this many lines more than twice the live entries. It is
   * also compacted when it holds more than twice the live data's bytes + 8 MiB, and when the
   * queue becomes empty (so delivered records' data does not stay on disk). @default 1000
   */
  readonly compactSlack?: number;
}

interface PendingWrite {
  change: EncodedChange;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const JOURNAL = 'journal.jsonl';
const QUARANTINE = 'quarantine.jsonl';
/** A group commit writes about this many bytes at most; the rest goes in the next one. */
const GROUP_BYTES = 16 * 2 ** 20;
/** How many quarantined line numbers a problem report lists. */
const LISTED_LINES = 20;

/**
 * A crash-safe store in a directory: an append-only journal (one JSON change per line, each
 * `fsync`ed before its promise resolves; concurrent writes share one write and one `fsync`),
 * compacted by write-temp → fsync → rename → fsync-directory, repaired on open (streamed line by
 * line, whatever its size: a torn last line is cut, unreadable or over-long lines are moved to
 * `quarantine.jsonl`), and locked against a second process.
 */
export class FileStore implements QueueStore {
  readonly dir: string;
  readonly #options: FileStoreOptions;
  readonly #lock: FileLock;
  #live = new LiveSet();
  #problems: string[] = [];
  /** Set by the outbox: background trouble goes out through its `error` event. */
  onProblem: ((problem: string) => void) | undefined;
  #journal: JournalAppender | undefined;
  /** Whether the directory is on a local file system (its path checks may then be synchronous). */
  #local = false;
  /** Non-blank lines in the journal, and those that put entries. */
  #lines = 0;
  #putLines = 0;
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
    // Replayed entries were checked on open (in full, or by their line's checksum), written ones before they were written.
    const contents: StoreContents = { entries: this.#live.takeEntries(), meta: Object.fromEntries(this.#live.meta), validated: true };
    if (problems.length > 0) contents.problems = problems;
    return contents;
  }

  async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return this.#ready('putMany');
    // Checked as a reopen will read it, before anything is written (throws a StoreError).
    return this.#commit('putMany', encodePut(entries));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    // Written even for keys not applied yet: a put of the same key may still be in the queue.
    if (keys.length === 0) return this.#ready('deleteMany');
    return this.#commit('deleteMany', encodeDelete(keys));
  }

  async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    return this.#commit('setMeta', encodeMeta(values));
  }

  /**
   * Writes what was asked before it (each of those promises settles on its own: a failed one
   * rejects), then closes the journal and releases the lock.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#opened?.catch(() => undefined);
    while (this.#flushing) await this.#flushing;
    await this.#journal?.close();
    this.#journal = undefined;
    await this.#lock.release();
  }

  async #ready(operation: string): Promise<void> {
    if (this.#closed) throw new OutboxClosedError(`FileStore.${operation}`, 'the store');
    this.#opened ??= this.#open();
    await this.#opened;
  }

  /** Queues a change at once (so a `close()` called after this waits for it) and starts a group commit. */
  #commit(operation: string, change: EncodedChange): Promise<void> {
    if (this.#closed) return Promise.reject(new OutboxClosedError(`FileStore.${operation}`, 'the store'));
    const refusal = this.#journal?.refusal;
    if (refusal) return Promise.reject(new StoreError(operation, refusal));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ change, resolve, reject: (error) => reject(toStoreError(operation, error)) });
      this.#flushing ??= this.#flush();
    });
  }

  /** Group commit: everything queued while the last write ran goes out in one write and one fsync. */
  async #flush(): Promise<void> {
    // Yield first: `#flushing ??= this.#flush()` must be assigned before this can clear it.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const group = this.#takeGroup();
      try {
        this.#opened ??= this.#open();
        await this.#opened;
        // Each change's line was encoded once, when it was asked for; a group is copied into one buffer.
        const bytes = group.length === 1 ? (group[0] as PendingWrite).change.bytes : Buffer.concat(group.map((write) => write.change.bytes));
        await (this.#journal as JournalAppender).append(bytes);
      } catch (error) {
        // Nothing of the group is applied: memory stays what the journal holds.
        for (const write of group) write.reject(error);
        continue;
      }
      this.#lines += group.length;
      for (const write of group) {
        if (write.change.kind === 'put') this.#putLines++;
        write.change.apply(this.#live);
        write.resolve();
      }
      await this.#compactIfDue();
    }
    this.#flushing = undefined;
  }

  /** The next group: the queued writes, up to about `GROUP_BYTES` (at least one). */
  #takeGroup(): PendingWrite[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && (count === 0 || bytes < GROUP_BYTES)) bytes += (this.#queue[count++] as PendingWrite).change.bytes.length;
    return this.#queue.splice(0, count);
  }

  /** Compacts when `needsCompaction` says so; a failure is reported, the journal stays valid (and is tried again later). */
  async #compactIfDue(): Promise<void> {
    const journal = { bytes: this.#journal?.size ?? 0, lines: this.#lines, putLines: this.#putLines };
    if (!needsCompaction(journal, { entries: this.#live.entries.size, bytes: this.#live.bytes }, this.#options.compactSlack ?? DEFAULT_COMPACT_SLACK)) return;
    await this.#compact().catch((error: unknown) =>
      this.#report(`compacting ${this.journalPath} failed (the journal stays valid and keeps growing): ${toStoreError('compact', error).message}`),
    );
  }

  /** Trouble no call waits for: to `onProblem`, or (before the outbox set it) to the next `load()`. */
  #report(problem: string): void {
    if (this.onProblem) this.onProblem(problem);
    else this.#problems.push(problem);
  }

  async #compact(): Promise<void> {
    // The handle comes from before the rename, so appends can never go to the replaced file.
    const { handle, bytes } = await replaceFileDurably(this.journalPath, this.#live.snapshotLines(), (error) =>
      this.#report(`fsync of ${this.dir} after compacting failed: ${toStoreError('compact', error).message}`),
    );
    const previous = this.#journal;
    this.#journal = JournalAppender.adopt(this.journalPath, handle, bytes, this.#local);
    await previous?.close();
    this.#lines = this.#live.snapshotLineCount;
    this.#putLines = this.#live.entries.size;
    this.#live.repackIfWasteful();
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
      this.#local = await isLocalFileSystem(this.dir);
      await this.#recover();
      // Recovery may have compacted, which opens the journal already.
      this.#journal ??= await JournalAppender.open(this.journalPath, this.#local);
      await chmod(this.journalPath, 0o600);
      await this.#compactIfDue(); // e.g. a journal that an older version let grow far past its live data
    } catch (error) {
      await this.#journal?.close();
      this.#journal = undefined;
      await this.#lock.release();
      throw toStoreError('open', error);
    }
  }

  /** Reads the journal back, streamed: a torn last line is cut, unreadable lines are quarantined. */
  async #recover(): Promise<void> {
    const quarantine = new QuarantineWriter(this.quarantinePath, this.dir);
    try {
      const replayed = await readJournal(this.journalPath, { onCorrupt: (bad) => quarantine.add(bad) });
      if (!replayed) return;
      this.#live = replayed.live;
      this.#lines = replayed.lines;
      this.#putLines = replayed.putLines;
      if (replayed.goodLength < replayed.fileLength) {
        await cutFile(this.journalPath, replayed.goodLength);
        this.#problems.push(`dropped a torn last write (${replayed.fileLength - replayed.goodLength} bytes) from ${this.journalPath}`);
      }
      if (replayed.mismatched.length > 0) {
        this.#problems.push(`${replayed.mismatched.length} journal line(s) (line ${listLines(replayed.mismatched)}) did not match their checksum (damaged or edited): checked in full and loaded`);
      }
      if (replayed.corrupt.length > 0) {
        await quarantine.finish();
        await this.#compact(); // rewrite without them, so they are not read again
        this.#problems.push(`moved ${replayed.corrupt.length} unreadable journal line(s) (line ${listLines(replayed.corrupt)}) to ${this.quarantinePath}`);
      } else if (replayed.uncheckedPutLines * 2 > replayed.putLines) {
        // Mostly written before checksums: rewritten once, so that the next open reads it by them.
        await this.#compact().catch((error: unknown) => this.#report(`rewriting ${this.journalPath} with checksums failed (it stays valid): ${toStoreError('compact', error).message}`));
      }
    } finally {
      await quarantine.close();
    }
  }
}

/** Truncates the file at `path` to `size` bytes, durably. */
async function cutFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.datasync();
  } finally {
    await handle.close();
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

/** Line numbers for a message: the first few, then how many more. */
function listLines(lines: readonly number[]): string {
  const more = lines.length > LISTED_LINES ? ` and ${lines.length - LISTED_LINES} more` : '';
  return `${lines.slice(0, LISTED_LINES).join(', ')}${more}`;
}
