// What a store holds, reduced to what a test compares: keys or record ids, sorted.
import type { OutboxEntry } from '../../src/index.js';

/** The keys of `entries`, sorted. */
export const keysOf = (entries: Iterable<{ key: string }>): string[] => [...entries].map((entry) => entry.key).sort();

/** The record ids of `entries`, sorted. */
export const recordIdsOf = (entries: readonly OutboxEntry[]): string[] => entries.map((entry) => entry.record.id).sort();
