import { StoreError } from '../../errors/StoreError.js';
import { assertStorable, parseStoredEntry, type OutboxEntry } from '../entry.js';
import { MAX_DEPTH, MAX_LINE_BYTES } from './journal-limits.js';
import type { LiveSet } from './live-set.js';
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
  readonly text: string;
  readonly kind: 'put' | 'del' | 'meta';
  readonly apply: (live: LiveSet) => void;
}

/** `{"put":[` … `]}\n` around the entries' encodings: what a put line adds to its entries. */
const PUT_OVERHEAD = Buffer.byteLength('{"put":[]}\n');

/**
 * Encodes a `putMany`. What a store accepts it must load back, so the entries are parsed back
 * from their encoding (exactly what a reopen will see: `Infinity` has become `null`, `toJSON`
 * has run) and checked as `load` checks them; the live set gets those parsed-back copies.
 * Throws a `StoreError` naming the first entry that would not load, or saying the line is too
 * long; then nothing is written.
 */
export function encodePut(entries: readonly OutboxEntry[]): EncodedChange {
  const parts = entries.map((entry, index) => {
    let part: string | undefined;
    try {
      part = JSON.stringify(entry);
    } catch (error) {
      throw new StoreError('putMany', `entry ${index} cannot be encoded as JSON (${(error as Error).message}); nothing was written`);
    }
    if (typeof part !== 'string') throw new StoreError('putMany', `entry ${index} is not an object; nothing was written`);
    return part;
  });
  const partBytes = parts.map((part) => Buffer.byteLength(part));
  // The line: `{"put":[` + the parts, comma-separated + `]}` (newline not counted).
  assertLineFits('putMany', PUT_OVERHEAD - 1 + partBytes.reduce((sum, bytes) => sum + bytes, 0) + parts.length - 1);
  const parsed = parts.map((part) => JSON.parse(part) as unknown);
  const stored = parsed.map((value) => (shapeProblem(value, MAX_DEPTH - 2) === undefined ? parseStoredEntry(value) : undefined));
  const bad = stored.indexOf(undefined);
  if (bad >= 0) {
    assertStorable(parsed, 'putMany'); // names the entry and the field
    throw new StoreError('putMany', `entry ${bad} cannot be stored: ${shapeProblem(parsed[bad], MAX_DEPTH - 2) ?? 'it is invalid'}; nothing was written`);
  }
  return {
    text: `{"put":[${parts.join(',')}]}\n`,
    kind: 'put',
    apply: (live) => stored.forEach((entry, index) => live.put(entry as OutboxEntry, (partBytes[index] as number) + PUT_OVERHEAD)),
  };
}

/** Encodes a `deleteMany`: keys must be strings (a reopen refuses any other key). */
export function encodeDelete(keys: readonly string[]): EncodedChange {
  const bad = keys.findIndex((key) => typeof key !== 'string');
  if (bad >= 0) throw new StoreError('deleteMany', `key ${bad} is not a string; nothing was written`);
  const del = [...keys];
  return checked('deleteMany', { text: encodeChange({ del }), kind: 'del', apply: (live) => del.forEach((key) => live.delete(key)) });
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
  return checked('setMeta', { text: encodeChange({ meta }), kind: 'meta', apply: (live) => Object.entries(meta).forEach(([key, value]) => live.setMeta(key, value)) });
}

function checked(operation: string, change: EncodedChange): EncodedChange {
  assertLineFits(operation, Buffer.byteLength(change.text) - 1);
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
 * Applies one journal line (newline excluded, `bytes` long) to `live`. Never throws: a line that
 * cannot be read changes nothing and says why. Every check is iterative, so any line is safe.
 */
export function applyLine(line: string, bytes: number, live: LiveSet): LineOutcome {
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
    // One line's bytes, shared by its entries: exact for a snapshot line (one entry each).
    const each = Math.ceil((bytes + 1) / Math.max(1, entries.length));
    for (const entry of entries as OutboxEntry[]) live.put(entry, each);
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

/** The journal of a store holding exactly `entries` and `meta`, as one string (for tools and benchmarks). */
export function snapshotText(entries: Iterable<OutboxEntry>, meta: Map<string, number>): string {
  let text = '';
  for (const entry of entries) text += encodeChange({ put: [entry] });
  if (meta.size > 0) text += encodeChange({ meta: Object.fromEntries(meta) });
  return text;
}
