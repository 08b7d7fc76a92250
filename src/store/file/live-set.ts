import type { OutboxEntry } from '../entry.js';
import { encodeChange } from './journal-format.js';
import { PUT_LINE_OVERHEAD, encodeSnapshotLine } from './put-line.js';
import { TextArena, type TextSpan } from './text-arena.js';

/** One entry as the live set keeps it: its key, its JSON (in the arena) and its snapshot line's size. */
export class StoredEntry {
  readonly key: string;
  /** Bytes of its snapshot line. */
  readonly bytes: number;
  /** Its value as parsed while the journal was replayed, until the first `takeEntries` hands it out. */
  parsed: OutboxEntry | undefined;
  readonly #span: TextSpan;

  constructor(key: string, span: TextSpan, parsed: OutboxEntry | undefined) {
    this.key = key;
    this.#span = span;
    this.bytes = span.end - span.start + PUT_LINE_OVERHEAD;
    this.parsed = parsed;
  }

  /** Its JSON. */
  get text(): string {
    return this.#span.slab.toString('utf8', this.#span.start, this.#span.end);
  }

  /** Its JSON's bytes (a view into the arena). */
  get utf8(): Buffer {
    return this.#span.slab.subarray(this.#span.start, this.#span.end);
  }
}

/**
 * What a FileStore holds: each entry as its JSON (checked before it got here: by `putMany`, or on
 * replay), its meta, and the exact bytes a snapshot of them takes (for compaction on bytes).
 * Texts, in an arena of large buffers, rather than objects: less memory, nothing for the garbage
 * collector to copy, written as they are by a snapshot, and every `load` gets fresh objects by
 * parsing them (the copies the store contract asks for). Replaying a journal and writing to the
 * store both change it through `put`, `delete` and `setMeta`.
 */
export class LiveSet {
  /** Each entry, by key. */
  readonly entries = new Map<string, StoredEntry>();
  readonly meta = new Map<string, number>();
  #arena = new TextArena();
  #entriesBytes = 0;
  #metaBytes: number | undefined = 0;
  /** Whether some entries still hold their value parsed on replay. */
  #holdsParsed = false;

  /**
   * Stores the entry `key` whose JSON is `text` (a string or its UTF-8 bytes, copied in). `parsed`
   * (on replay only): that JSON's value, which nothing else holds, for the first `takeEntries`.
   */
  put(key: string, text: string | Uint8Array, parsed?: OutboxEntry): void {
    if (parsed) this.#holdsParsed = true;
    else if (this.#holdsParsed) this.#dropParsed(); // written to before the first load: no one asked for them
    const stored = new StoredEntry(key, this.#arena.add(text), parsed);
    this.#entriesBytes += stored.bytes - (this.entries.get(key)?.bytes ?? 0);
    this.entries.set(key, stored);
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.#entriesBytes -= old.bytes;
  }

  /** Sets a meta value; `null` removes it. */
  setMeta(key: string, value: number | null): void {
    if (value === null) this.meta.delete(key);
    else this.meta.set(key, value);
    this.#metaBytes = undefined;
  }

  /**
   * The entries as new objects the caller owns (mutating them changes nothing here): the values
   * parsed on replay the first time (nothing else holds them), parsed from their texts after that.
   */
  takeEntries(): OutboxEntry[] {
    const entries = new Array<OutboxEntry>(this.entries.size);
    let index = 0;
    for (const stored of this.entries.values()) {
      entries[index++] = stored.parsed ?? (JSON.parse(stored.text) as OutboxEntry);
      stored.parsed = undefined;
    }
    this.#holdsParsed = false;
    return entries;
  }

  #dropParsed(): void {
    for (const stored of this.entries.values()) stored.parsed = undefined;
    this.#holdsParsed = false;
  }

  /** How many bytes a snapshot of the live data takes. */
  get bytes(): number {
    this.#metaBytes ??= this.meta.size > 0 ? Buffer.byteLength(this.#metaLine()) : 0;
    return this.#entriesBytes + this.#metaBytes;
  }

  /** Bytes the arena holding the texts takes (live texts and dead ones not yet repacked). */
  get arenaBytes(): number {
    return this.#arena.allocated;
  }

  /** Lines a snapshot has: one per entry, plus one for the meta if there is any. */
  get snapshotLineCount(): number {
    return this.entries.size + (this.meta.size > 0 ? 1 : 0);
  }

  /** The snapshot, line by line (each with its newline): a checksummed put line per entry, then the meta. */
  *snapshotLines(): Generator<string | Buffer> {
    // From the entries' bytes as they are: not decoded to text and encoded again.
    for (const stored of this.entries.values()) yield encodeSnapshotLine(stored.utf8);
    if (this.meta.size > 0) yield this.#metaLine();
  }

  /**
   * Copies the live texts into a fresh arena when the arena holds more than twice their bytes
   * plus 8 MiB (replaced and deleted entries' texts stay in it until then). Called after a
   * compaction, which bounds the same waste in the journal.
   */
  repackIfWasteful(): void {
    const live = this.#entriesBytes - this.entries.size * PUT_LINE_OVERHEAD;
    if (this.#arena.allocated <= 2 * live + 8 * 2 ** 20) return;
    const arena = new TextArena();
    for (const [key, stored] of this.entries) this.entries.set(key, new StoredEntry(key, arena.add(stored.utf8), stored.parsed));
    this.#arena = arena;
  }

  #metaLine(): string {
    return encodeChange({ meta: Object.fromEntries(this.meta) });
  }
}
