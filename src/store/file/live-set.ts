import type { OutboxEntry } from '../entry.js';
import { encodeChange } from './journal-format.js';

/**
 * What a FileStore holds: its entries by key and its meta, plus an estimate of the bytes a
 * snapshot of them takes (for compaction on bytes). Replaying a journal and writing to the store
 * both change it through `put`, `delete` and `setMeta`.
 */
export class LiveSet {
  readonly entries = new Map<string, OutboxEntry>();
  readonly meta = new Map<string, number>();
  /** Bytes of each entry's snapshot line (exact once a snapshot wrote it, estimated before). */
  readonly #entryBytes = new Map<string, number>();
  #entriesBytes = 0;
  #metaBytes: number | undefined = 0;

  /** Stores `entry`, whose snapshot line takes about `bytes`. */
  put(entry: OutboxEntry, bytes: number): void {
    this.entries.set(entry.key, entry);
    this.#resize(entry.key, bytes);
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.#entriesBytes -= this.#entryBytes.get(key) ?? 0;
    this.#entryBytes.delete(key);
  }

  /** Sets a meta value; `null` removes it. */
  setMeta(key: string, value: number | null): void {
    if (value === null) this.meta.delete(key);
    else this.meta.set(key, value);
    this.#metaBytes = undefined;
  }

  /** About how many bytes a snapshot of the live data takes. */
  get bytes(): number {
    this.#metaBytes ??= this.meta.size > 0 ? Buffer.byteLength(this.#metaLine()) : 0;
    return this.#entriesBytes + this.#metaBytes;
  }

  /** Lines a snapshot has: one per entry, plus one for the meta if there is any. */
  get snapshotLineCount(): number {
    return this.entries.size + (this.meta.size > 0 ? 1 : 0);
  }

  /** The snapshot, line by line (each with its newline); the size estimates become exact. */
  *snapshotLines(): Generator<string> {
    for (const [key, entry] of this.entries) {
      const line = encodeChange({ put: [entry] });
      this.#resize(key, Buffer.byteLength(line));
      yield line;
    }
    if (this.meta.size > 0) yield this.#metaLine();
  }

  #metaLine(): string {
    return encodeChange({ meta: Object.fromEntries(this.meta) });
  }

  #resize(key: string, bytes: number): void {
    this.#entriesBytes += bytes - (this.#entryBytes.get(key) ?? 0);
    this.#entryBytes.set(key, bytes);
  }
}
