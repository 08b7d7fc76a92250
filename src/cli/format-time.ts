/** Largest time a `Date` can hold: 8.64e15 ms after the epoch (year 275760), and as much before. */
export const MAX_DATE_MS = 8.64e15;

/**
 * A stored time (ms since the epoch) as ISO text. Never throws: a time a `Date` cannot hold
 * (a hand-edited or corrupted store) prints as such, with the raw number.
 */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return `not a time (${String(ms)})`;
  if (ms > MAX_DATE_MS) return `beyond year 275760 (${ms} ms since 1970)`;
  if (ms < -MAX_DATE_MS) return `before year -271821 (${ms} ms since 1970)`;
  return new Date(ms).toISOString();
}
