// Records to enqueue, and their ids, made the same way in every suite (so that "r07" or "batch-3"
// mean the same in every file).

/** `count` records `{ id: prefix + index }`, ids zero-padded so they sort in enqueue order. */
export function makeRecords(count: number, prefix = 'r'): Array<{ id: string }> {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}${String(index).padStart(width, '0')}` }));
}

/** Records `{ id }` for each id. */
export const records = (...ids: string[]): Array<{ id: string }> => ids.map((id) => ({ id }));

/** `count` record ids `prefix-0` … `prefix-(count-1)`. */
export const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

/** Records `{ id, account }` with ids `prefix-0 … prefix-(count-1)` and accounts `user-0 …`. */
export function recordsWithAccounts(count: number, prefix: string): Array<{ id: string; account: string }> {
  return ids(prefix, count).map((id, index) => ({ id, account: `user-${index}` }));
}

/** Ids that occur more than once in `ids`. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

/** `count` ids `prefix000`, `prefix001`, … (zero-padded to three digits, so they sort in order). */
export function paddedIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, '0')}`);
}
