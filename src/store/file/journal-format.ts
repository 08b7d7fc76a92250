import { StoreError } from '../../errors/StoreError.js';
import { parseStoredEntry, type OutboxEntry } from '../entry.js';
import { checkedEntry } from '../entry-copy.js';
import { isStoredEntryShape } from '../entry-shape.js';
import { MAX_DEPTH, MAX_LINE_BYTES } from './journal-limits.js';
import type { LiveSet } from './live-set.js';
import { PUT_LINE_FIRST_ENTRY, encodePutLine, putLine, putLineBytes } from './put-line.js';
import { shapeProblem } from './value-shape.js';

/**
 * One line of the journal: one change, as the store was asked for it. A `putMany` of many
 * entries is one line, so a torn write loses the whole change or none of it (atomicity).
 */
export type JournalChange = { put: OutboxEntry[] } | { del: string[] } | { meta: Record<string, number | null> };

export function encodeChange(change: JournalChange): string {
  return `${JSON.stringify(change)}\n`;
}

/** A change ready to be appended: its line, and what applying it does to the live set. */
export interface EncodedChange {
  /** Its line, newline included, as UTF-8: the bytes written to the journal. */
  readonly bytes: Buffer;
  readonly kind: 'put' | 'del' | 'meta';
  readonly apply: (live: LiveSet) => void;
}

/**
 * Encodes a `putMany` as one checksummed put line (see `put-line.ts`). What a store accepts it
 * must load back, so each entry is checked as `load` checks one, on the object itself, and the
 * line is the JSON of what that check returned: plain data built by the schema (only its
 * fields; no getters, no `toJSON`; numbers finite, which the schema requires), so the text
 * written is exactly what was checked and a reopen reads back these same values. The line is
 * encoded to UTF-8 once: its checksum, the journal write and the live set's copies of the
 * entries (byte ranges of it) all use these bytes. Throws a
 * `StoreError` naming the first entry that would not load (and its field), or saying the line
 * is too long; then nothing is written.
 */
export function encodePut(entries: readonly OutboxEntry[]): EncodedChange {
  const texts = new Array<string>(entries.length);
  const keys = new Array<string>(entries.length);
  const lengths = new Array<number>(entries.length);
  let bytes = 0;
  for (let index = 0; index < entries.length; index++) {
    const entry = checkedEntry(entries, index, 'putMany', isStoredEntryShape);
    let text: string;
    try {
      text = JSON.stringify(entry);
    } catch (error) {
      // Plain checked data: this fails only for a text longer than the longest string.
      throw new StoreError('putMany', `entry ${index} cannot be encoded as JSON (${(error as Error).message}); nothing was written`);
    }
    texts[index] = text;
    keys[index] = entry.key;
    lengths[index] = Buffer.byteLength(text);
    bytes += lengths[index] as number;
    // Checked as it grows: a call that is far too long stops before its line is built.
    assertLineFits('putMany', putLineBytes(bytes, index + 1));
  }
  const line = encodePutLine(texts, bytes);
  return {
    bytes: line,
    kind: 'put',
    apply: (live) => {
      for (let index = 0, start = PUT_LINE_FIRST_ENTRY; index < keys.length; index++) {
        const end = start + (lengths[index] as number);
        live.put(keys[index] as string, line.subarray(start, end));
        start = end + 1; // the comma
      }
    },
  };
}

/** Encodes a `deleteMany`: keys must be strings (a reopen refuses any other key). */
export function encodeDelete(keys: readonly string[]): EncodedChange {
  const bad = keys.findIndex((key) => typeof key !== 'string');
  if (bad >= 0) throw new StoreError('deleteMany', `key ${bad} is not a string; nothing was written`);
  const del = [...keys];
  return checked('deleteMany', { bytes: Buffer.from(encodeChange({ del })), kind: 'del', apply: (live) => del.forEach((key) => live.delete(key)) });
}

/** Encodes a `setMeta`: values must be finite numbers (JSON would turn the others into `null`, "removed"). */
export function encodeMeta(values: Readonly<Record<string, number | undefined>>): EncodedChange {
  const meta: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === '__proto__') throw new StoreError('setMeta', 'the meta key "__proto__" cannot be stored; nothing was written');
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new StoreError('setMeta', `meta ${JSON.stringify(key)} is ${String(value)}, not a finite number; nothing was written`);
    }
    meta[key] = value ?? null;
  }
  return checked('setMeta', { bytes: Buffer.from(encodeChange({ meta })), kind: 'meta', apply: (live) => Object.entries(meta).forEach(([key, value]) => live.setMeta(key, value)) });
}

function checked(operation: string, change: EncodedChange): EncodedChange {
  assertLineFits(operation, change.bytes.length - 1);
  return change;
}

/** Refuses a line (newline not counted) that a reopen would not read: longer than `MAX_LINE_BYTES`. */
function assertLineFits(operation: string, bytes: number): void {
  if (bytes > MAX_LINE_BYTES) {
    throw new StoreError(operation, `the change is ${bytes} bytes, longer than ${MAX_LINE_BYTES} bytes, the journal's longest line; nothing was written`);
  }
}

/** What reading one line did: the kind of change applied, or why the line cannot be read. */
export type LineOutcome = { kind: 'put' | 'del' | 'meta' } | { why: string };

/**
 * Applies one journal line (newline excluded) to `live`, checking all of it: the path of lines
 * without a checksum (journals written before checksums, hand edits) or whose checksum does not
 * match. Never throws: a line that cannot be read changes nothing and says why. Every check is
 * iterative, so any line is safe.
 */
export function applyLine(line: string, live: LiveSet): LineOutcome {
  let change: unknown;
  try {
    change = JSON.parse(line);
  } catch {
    return { why: 'not JSON' };
  }
  if (change === null || typeof change !== 'object' || Array.isArray(change)) return { why: 'not a change object' };
  const problem = shapeProblem(change, MAX_DEPTH);
  if (problem) return { why: problem };
  const { put, del, meta } = change as Record<string, unknown>;
  if (Array.isArray(put)) {
    const entries = put.map(parseStoredEntry);
    if (entries.some((entry) => entry === undefined)) return { why: 'holds an invalid entry' };
    // The schema's output: what `putMany` would have written for it.
    for (const entry of entries as OutboxEntry[]) live.put(entry.key, JSON.stringify(entry), entry);
    return { kind: 'put' };
  }
  if (Array.isArray(del)) {
    if (!del.every((key) => typeof key === 'string')) return { why: 'holds an invalid key' };
    for (const key of del as string[]) live.delete(key);
    return { kind: 'del' };
  }
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    const values = Object.entries(meta as Record<string, unknown>);
    if (!values.every(([, value]) => value === null || (typeof value === 'number' && Number.isFinite(value)))) return { why: 'holds an invalid meta value' };
    for (const [key, value] of values as [string, number | null][]) live.setMeta(key, value);
    return { kind: 'meta' };
  }
  return { why: 'not a known change' };
}

/** The journal of a store holding exactly `entries` and `meta`, as a compaction writes it, as one string (for tools and benchmarks). */
export function snapshotText(entries: Iterable<OutboxEntry>, meta: Map<string, number>): string {
  let text = '';
  for (const entry of entries) text += putLine([JSON.stringify(entry)]);
  if (meta.size > 0) text += encodeChange({ meta: Object.fromEntries(meta) });
  return text;
}
