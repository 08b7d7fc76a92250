// Adding records to a store that several outboxes send from (a database): the store coalesces
// (it alone knows what the others hold) and says which entries it stored; nothing is reserved in
// any instance's memory, since what is stored is sent by whoever claims it.
import type { AuthorizationMail, Language } from '../api/schemas.js';
import { toStoreError } from '../errors/to-store-error.js';
import { entryKey, type OutboxEntry } from '../store/entry.js';

/** What an add did: entries stored, and records coalesced into ones already pending (or earlier in the same call). */
export interface Added {
  added: OutboxEntry[];
  coalesced: AuthorizationMail[];
}

/**
 * Builds the new pending entries of `records` (an id twice in one call is coalesced here), has
 * `addNew` store them, and sorts them into stored and coalesced.
 * @throws StoreError (operation `enqueue`) when the store refused the write (nothing kept).
 */
export async function addToSharedStore(
  addNew: (entries: readonly OutboxEntry[]) => Promise<ReadonlySet<string>>,
  records: readonly AuthorizationMail[],
  entry: { projectId: string; language: Language | undefined; enqueuedAt: number; seq: () => number },
): Promise<Added> {
  const { projectId, language, enqueuedAt } = entry;
  const fresh = new Map<string, OutboxEntry>();
  const coalesced: AuthorizationMail[] = [];
  for (const record of records) {
    const key = entryKey(projectId, record.id);
    if (fresh.has(key)) coalesced.push(record);
    else fresh.set(key, { key, record, projectId, language, seq: entry.seq(), enqueuedAt, attempts: 0, nextAttemptAt: 0, state: 'pending' });
  }
  let stored: ReadonlySet<string>;
  try {
    stored = await addNew([...fresh.values()]);
  } catch (error) {
    throw toStoreError('enqueue', error);
  }
  const added: OutboxEntry[] = [];
  for (const made of fresh.values()) {
    if (stored.has(made.key)) added.push(made);
    else coalesced.push(made.record);
  }
  return { added, coalesced };
}
