import type { Language } from '../api/schemas.js';
import type { OutboxEntry } from '../store/entry.js';
import type { StoredTimes } from './stored-times.js';

interface Slot {
  entry: OutboxEntry;
  /** False while its first write is under way: not yet sendable, not yet listed. */
  durable: boolean;
  /** Taken by a batch that is waiting for its turn or in flight. */
  claimed: boolean;
}

/**
 * The outbox's view of the queue in memory, kept in step with the store. Pending entries are
 * kept in FIFO order (Map insertion order follows `seq`); dead ones apart. Stored times are
 * clamped (see `StoredTimes`) when entries come in from the store and whenever they are used.
 */
export class QueueState {
  readonly #times: StoredTimes;
  readonly #pending = new Map<string, Slot>();
  readonly #dead = new Map<string, Slot>();
  /** Durable pending entries, kept as `#pending` changes (see `#setPending`, `#deletePending`). */
  #durablePending = 0;
  #nextSeq = 1;
  /** Per store read under way for `sync`: the keys changed here since, for which that read is older. */
  readonly #syncsUnderWay = new Set<Set<string>>();

  constructor(times: StoredTimes) {
    this.#times = times;
  }

  /** The slot's entry with its times clamped to the caps as of `now` (kept, so the clamp is anchored once). */
  #believe(slot: Slot, now: number): OutboxEntry {
    slot.entry = this.#times.entry(slot.entry, undefined, now);
    return slot.entry;
  }

  #setPending(key: string, slot: Slot): void {
    this.#deletePending(key);
    this.#pending.set(key, slot);
    if (slot.durable) this.#durablePending++;
  }

  #deletePending(key: string): void {
    const slot = this.#pending.get(key);
    if (!slot) return;
    this.#pending.delete(key);
    if (slot.durable) this.#durablePending--;
  }

  #touch(key: string): void {
    for (const touched of this.#syncsUnderWay) touched.add(key);
  }

  /** Call before reading the store for `sync`; pass what it returns to `sync`. Local changes from now on win over that read. */
  beginSync(): Set<string> {
    const touched = new Set<string>();
    this.#syncsUnderWay.add(touched);
    return touched;
  }

  /** Fills the state from what the store held, oldest first. */
  load(entries: OutboxEntry[]): void {
    const now = this.#times.now();
    for (const stored of [...entries].sort((a, b) => a.seq - b.seq)) {
      const entry = this.#times.entry(stored, undefined, now);
      this.#place(entry);
      this.#nextSeq = Math.max(this.#nextSeq, entry.seq + 1);
    }
  }

  nextSeq(): number {
    return this.#nextSeq++;
  }

  pendingEntry(key: string): OutboxEntry | undefined {
    return this.#pending.get(key)?.entry;
  }

  /**
   * The entry as it is now (times clamped), if it is still the one a batch claimed: an id purged
   * and enqueued again meanwhile is a new entry (another seq) that the batch must neither send nor remove.
   */
  stillClaimed(claimed: OutboxEntry, now: number): OutboxEntry | undefined {
    const slot = this.#pending.get(claimed.key);
    return slot && slot.entry.seq === claimed.seq ? this.#believe(slot, now) : undefined;
  }

  deadEntry(key: string): OutboxEntry | undefined {
    return this.#dead.get(key)?.entry;
  }

  isDurable(key: string): boolean {
    return this.#pending.get(key)?.durable ?? false;
  }

  /** Adds entries not yet written (see `markDurable`), replacing dead ones of the same key. */
  reserve(entries: OutboxEntry[]): void {
    for (const entry of entries) {
      this.#touch(entry.key);
      this.#dead.delete(entry.key);
      this.#setPending(entry.key, { entry, durable: false, claimed: false });
    }
  }

  markDurable(keys: string[]): void {
    for (const key of keys) {
      const slot = this.#pending.get(key);
      if (slot && !slot.durable) {
        slot.durable = true;
        this.#durablePending++;
      }
    }
  }

  /** Replaces a pending entry's data (attempts, next attempt time), keeping its place and claim. */
  update(entry: OutboxEntry): boolean {
    const slot = this.#pending.get(entry.key);
    if (!slot) return false;
    this.#touch(entry.key);
    slot.entry = entry;
    return true;
  }

  /** Puts entries back exactly (pending or dead), e.g. after a failed write. */
  restore(entries: OutboxEntry[]): void {
    for (const entry of entries) {
      this.#touch(entry.key);
      this.#deletePending(entry.key);
      this.#dead.delete(entry.key);
      this.#place(entry);
    }
  }

  /** The entries whose keys are in `held` (claims still this instance's); the others are forgotten here. */
  keepHeld(entries: OutboxEntry[], held: ReadonlySet<string>): OutboxEntry[] {
    const lost = entries.filter((entry) => !held.has(entry.key));
    if (lost.length === 0) return entries;
    this.remove(lost.map((entry) => entry.key));
    return entries.filter((entry) => held.has(entry.key));
  }

  /** Adds a durable, unclaimed entry on its side (pending or dead); its key must be on neither. */
  #place(entry: OutboxEntry): void {
    if (entry.state === 'dead') this.#dead.set(entry.key, { entry, durable: true, claimed: false });
    else this.#setPending(entry.key, { entry, durable: true, claimed: false });
  }

  /** Moves a pending entry to the dead-letter side. */
  bury(entry: OutboxEntry): void {
    this.#touch(entry.key);
    this.#deletePending(entry.key);
    this.#dead.set(entry.key, { entry, durable: true, claimed: false });
  }

  /** Forgets entries, pending or dead. Returns what was there. */
  remove(keys: Iterable<string>): OutboxEntry[] {
    const removed: OutboxEntry[] = [];
    for (const key of keys) {
      this.#touch(key);
      const slot = this.#pending.get(key) ?? this.#dead.get(key);
      if (!slot) continue;
      removed.push(slot.entry);
      this.#deletePending(key);
      this.#dead.delete(key);
    }
    return removed;
  }

  release(keys: Iterable<string>): void {
    for (const key of keys) {
      const slot = this.#pending.get(key);
      if (slot) slot.claimed = false;
    }
  }

  /**
   * Claims the next batch: the oldest entry due at `now` decides the project and language, and up
   * to `size` due entries of that group follow it in FIFO order. Entries met on the way that are
   * `maxAgeMs` old are claimed apart, for dead-lettering (whenever they were due).
   */
  claimBatch(now: number, size: number, maxAgeMs: number): { batch: OutboxEntry[]; expired: OutboxEntry[] } {
    const batch: OutboxEntry[] = [];
    const expired: OutboxEntry[] = [];
    let group: { projectId: string; language: Language | undefined } | undefined;
    for (const slot of this.#pending.values()) {
      if (!slot.durable || slot.claimed) continue;
      const entry = this.#believe(slot, now);
      if (entry.enqueuedAt + maxAgeMs <= now) {
        slot.claimed = true;
        expired.push(entry);
        continue;
      }
      if (entry.nextAttemptAt > now) continue;
      group ??= { projectId: entry.projectId, language: entry.language };
      if (entry.projectId !== group.projectId || entry.language !== group.language) continue;
      slot.claimed = true;
      batch.push(entry);
      if (batch.length >= size) break;
    }
    return { batch, expired };
  }

  /** Claims, for dead-lettering, the unclaimed entries that are `maxAgeMs` old at `now`, whenever they were due. */
  claimExpired(now: number, maxAgeMs: number): OutboxEntry[] {
    const expired: OutboxEntry[] = [];
    for (const slot of this.#pending.values()) {
      if (!slot.durable || slot.claimed) continue;
      if (this.#believe(slot, now).enqueuedAt + maxAgeMs > now) continue;
      slot.claimed = true;
      expired.push(slot.entry);
    }
    return expired;
  }

  /**
   * Merges what the store holds now (written by other tabs or processes): new entries are added,
   * changed ones replaced, vanished ones dropped. Claimed entries and unfinished reservations
   * are left alone: this instance is the one working on them. So are keys changed here since
   * `beginSync()`: the read is older than those changes (a record just delivered and deleted
   * here must not come back as pending from a read that predates the delete).
   */
  sync(stored: OutboxEntry[], touched: Set<string>): void {
    this.#syncsUnderWay.delete(touched);
    const seen = new Set<string>(touched);
    const now = this.#times.now();
    for (const read of [...stored].sort((a, b) => a.seq - b.seq)) {
      // A time clamped before keeps its clamp when the store is read again.
      const entry = this.#times.entry(read, (this.#pending.get(read.key) ?? this.#dead.get(read.key))?.entry, now);
      seen.add(entry.key);
      this.#nextSeq = Math.max(this.#nextSeq, entry.seq + 1);
      if (touched.has(entry.key)) continue;
      const slot = this.#pending.get(entry.key) ?? this.#dead.get(entry.key);
      if (slot && (slot.claimed || !slot.durable)) continue;
      if (slot && slot.entry.state === entry.state) {
        slot.entry = entry;
        continue;
      }
      this.#deletePending(entry.key);
      this.#dead.delete(entry.key);
      this.#place(entry);
    }
    for (const [key, slot] of this.#pending) {
      if (!seen.has(key) && slot.durable && !slot.claimed) this.#deletePending(key);
    }
    for (const [key, slot] of this.#dead) {
      if (!seen.has(key) && slot.durable && !slot.claimed) this.#dead.delete(key);
    }
  }

  /**
   * Among unclaimed pending entries: the earliest next-attempt time, and the earliest time one
   * reaches `maxAgeMs` (Infinity when there is none). Whoever waits must wake at the earlier.
   */
  nextTimes(maxAgeMs: number): { dueAt: number; expiresAt: number } {
    const now = this.#times.now();
    let dueAt = Infinity;
    let expiresAt = Infinity;
    for (const slot of this.#pending.values()) {
      if (!slot.durable || slot.claimed) continue;
      const entry = this.#believe(slot, now);
      dueAt = Math.min(dueAt, entry.nextAttemptAt);
      expiresAt = Math.min(expiresAt, entry.enqueuedAt + maxAgeMs);
    }
    return { dueAt, expiresAt };
  }

  /** Makes every pending entry due now (for `flush()`); returns the entries changed. */
  clearBackoff(): OutboxEntry[] {
    const changed: OutboxEntry[] = [];
    for (const slot of this.#pending.values()) {
      if (slot.entry.nextAttemptAt === 0) continue;
      this.#touch(slot.entry.key);
      slot.entry = { ...slot.entry, nextAttemptAt: 0 };
      changed.push(slot.entry);
    }
    return changed;
  }

  pendingEntries(): OutboxEntry[] {
    return [...this.#pending.values()].filter((slot) => slot.durable).map((slot) => slot.entry);
  }

  deadEntries(): OutboxEntry[] {
    return [...this.#dead.values()].map((slot) => slot.entry);
  }

  /** Durable pending entries (claimed or not). */
  get pendingCount(): number {
    return this.#durablePending;
  }
}
