// How entries are kept in their rows: JSON text, never jsonb (which refuses the lone surrogates a
// record id may hold), the key as its JSON text (any string is one distinct value), the seq a column.
import { parseStoredEntry, type OutboxEntry } from '../entry.js';
import { isStoredEntryShape } from '../entry-shape.js';

/** A key as stored. */
export function keyText(key: string): string {
  return JSON.stringify(key);
}

/** A record id as it appears inside a stored key (the key's JSON text from character 35 on, its closing quote left out). */
export function idText(id: string): string {
  return JSON.stringify(id).slice(1, -1);
}

/** The keys of `entries` that came back in `rows` (each `{ key }` as stored). */
export function keysOf(rows: ReadonlyArray<Record<string, unknown>>, entries: ReadonlyArray<{ key: string }>): Set<string> {
  const byText = new Map(entries.map((entry) => [keyText(entry.key), entry.key]));
  return new Set(rows.map((row) => byText.get(row.key as string) as string));
}

/** An entry as stored (its seq is also a column, which wins on the way back). */
export function entryText(entry: OutboxEntry): string {
  return JSON.stringify(entry);
}

/** The entry of a row `{ entry, seq }`. */
export function entryOf(row: Record<string, unknown>): OutboxEntry {
  return { ...(JSON.parse(row.entry as string) as OutboxEntry), seq: Number(row.seq) };
}

/** The entries of rows `{ key, entry, seq }`, each checked as a store must; the keys of the rows that are not entries. */
export function readRows(rows: ReadonlyArray<Record<string, unknown>>): { entries: OutboxEntry[]; bad: string[] } {
  const entries: OutboxEntry[] = [];
  const bad: string[] = [];
  for (const row of rows) {
    let entry: OutboxEntry | undefined;
    try {
      const read = entryOf(row);
      entry = isStoredEntryShape(read) ? read : parseStoredEntry(read);
    } catch {
      entry = undefined;
    }
    if (entry && keyText(entry.key) === row.key) entries.push(entry);
    else bad.push(row.key as string);
  }
  return { entries, bad };
}
