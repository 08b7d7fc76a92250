import { parseStoredEntry, type OutboxEntry } from '../entry.js';

/**
 * One line of the journal: one change, as the store was asked for it. A `putMany` of many
 * entries is one line, so a torn write loses the whole change or none of it (atomicity).
 */
export type JournalChange =
  | { put: OutboxEntry[] }
  | { del: string[] }
  | { meta: Record<string, number | null> };

export function encodeChange(change: JournalChange): string {
  return `${JSON.stringify(change)}\n`;
}

/** What replaying a journal gives. */
export interface Replayed {
  entries: Map<string, OutboxEntry>;
  meta: Map<string, number>;
  /** Lines that could not be read, with their 1-based line numbers. */
  corrupt: { line: number; text: string; why: string }[];
  /** Byte length of the complete lines; a longer file has a torn tail to cut. */
  goodLength: number;
  /** Complete lines read. */
  lines: number;
}

/** Replays a journal's bytes. Never throws: what cannot be read is reported in `corrupt`. */
export function replayJournal(bytes: Buffer): Replayed {
  const replayed: Replayed = { entries: new Map(), meta: new Map(), corrupt: [], goodLength: 0, lines: 0 };
  let start = 0;
  let lineNumber = 0;
  for (;;) {
    // Byte offsets, not characters: UTF-8 never puts 0x0A inside a multi-byte character.
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) break; // no newline: a torn last write, dropped
    lineNumber++;
    const line = bytes.toString('utf8', start, end);
    start = end + 1;
    replayed.goodLength = start;
    if (line.trim() === '') continue;
    replayed.lines++;
    const why = applyLine(line, replayed);
    if (why) replayed.corrupt.push({ line: lineNumber, text: line, why });
  }
  return replayed;
}

function applyLine(line: string, into: Replayed): string | undefined {
  let change: unknown;
  try {
    change = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (change === null || typeof change !== 'object' || Array.isArray(change)) return 'not a change object';
  // Nothing we write has such a key: a hand-edited line, quarantined rather than silently cleaned.
  if (line.includes('"__proto__"') && hasProtoKey(change)) return 'holds a __proto__ key';
  const { put, del, meta } = change as Record<string, unknown>;
  if (Array.isArray(put)) {
    const entries = put.map(parseStoredEntry);
    if (entries.some((entry) => entry === undefined)) return 'holds an invalid entry';
    for (const entry of entries as OutboxEntry[]) into.entries.set(entry.key, entry);
    return undefined;
  }
  if (Array.isArray(del)) {
    if (!del.every((key) => typeof key === 'string')) return 'holds an invalid key';
    for (const key of del as string[]) into.entries.delete(key);
    return undefined;
  }
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    const values = Object.entries(meta as Record<string, unknown>);
    if (!values.every(([, value]) => value === null || (typeof value === 'number' && Number.isFinite(value)))) return 'holds an invalid meta value';
    for (const [key, value] of values as [string, number | null][]) {
      if (value === null) into.meta.delete(key);
      else into.meta.set(key, value);
    }
    return undefined;
  }
  return 'not a known change';
}

/** The journal of a store holding exactly `entries` and `meta`: what compaction writes. */
export function snapshotText(entries: Iterable<OutboxEntry>, meta: Map<string, number>): string {
  let text = '';
  for (const entry of entries) text += encodeChange({ put: [entry] });
  if (meta.size > 0) text += encodeChange({ meta: Object.fromEntries(meta) });
  return text;
}

function hasProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}
