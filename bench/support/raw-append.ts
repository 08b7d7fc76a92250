// Baseline: the floor of a durable append: the same line the FileStore writes for a call (one
// JSON line holding the call's entries), appended to one file and fsynced, nothing else (no
// validation, no state, no checks, no compaction). What a journal cannot beat, only approach.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxEntry } from '../../src/store/entry.js';

export class RawAppendLog {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(dir: string) {
    this.#path = join(dir, 'raw.log');
  }

  /** One line per call, appended and fsynced; calls are serialised (no group commit). */
  putMany(entries: readonly OutboxEntry[]): Promise<void> {
    return this.#append(`${JSON.stringify({ put: entries })}\n`);
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.#append(`${JSON.stringify({ del: keys })}\n`);
  }

  #append(line: string): Promise<void> {
    const write = this.#queue.then(async () => {
      this.#handle ??= open(this.#path, 'a');
      const handle = await this.#handle;
      await handle.write(line);
      await handle.sync();
    });
    this.#queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.#queue;
    await (await this.#handle)?.close();
  }
}
