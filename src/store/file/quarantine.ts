import { open, type FileHandle } from 'node:fs/promises';
import { fsyncDirectory } from './fs-durable.js';
import type { CorruptLine } from './journal-reader.js';

/** Quarantine records are appended once this many bytes are waiting (memory stays bounded). */
const FLUSH_BYTES = 4 * 2 ** 20;

/**
 * Appends the journal lines that could not be read to `quarantine.jsonl` (one JSON record per
 * line: when, line number, why, text, and `cut` when only a prefix is kept), so nothing is
 * thrown away silently. Records wait in memory up to `FLUSH_BYTES`; `finish` makes them durable.
 */
export class QuarantineWriter {
  readonly #path: string;
  readonly #dir: string;
  #waiting: string[] = [];
  #waitingBytes = 0;
  #handle: FileHandle | undefined;

  constructor(path: string, dir: string) {
    this.#path = path;
    this.#dir = dir;
  }

  /** Queues one record; returns a promise when it had to append the waiting ones. */
  add(bad: CorruptLine): Promise<void> | undefined {
    const record = `${JSON.stringify({ quarantinedAt: new Date().toISOString(), line: bad.line, why: bad.why, text: bad.text, ...(bad.cut ? { cut: bad.cut } : {}) })}\n`;
    this.#waiting.push(record);
    this.#waitingBytes += record.length;
    return this.#waitingBytes >= FLUSH_BYTES ? this.#append() : undefined;
  }

  /** Appends what waits, then makes the file and its name durable (before the journal forgets the lines). */
  async finish(): Promise<void> {
    await this.#append();
    if (!this.#handle) return;
    await this.#handle.datasync();
    await this.close();
    await fsyncDirectory(this.#dir);
  }

  /** Closes the file (also after a failure). */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #append(): Promise<void> {
    if (this.#waiting.length === 0) return;
    this.#handle ??= await open(this.#path, 'a', 0o600);
    const text = this.#waiting.join('');
    this.#waiting = [];
    this.#waitingBytes = 0;
    await this.#handle.write(text);
  }
}
