import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import type { AuthorizationMail, Language } from '../api/schemas.js';
import { StoreError } from '../errors/StoreError.js';
import { toStoreError } from '../errors/to-store-error.js';
import { entryKey, parseStoredEntry, revivedEntry, type OutboxEntry } from '../store/entry.js';
import type { QueueStore } from '../store/QueueStore.js';
import { QueueState } from './queue-state.js';
import { clockFrom } from './clock.js';
import { DEFAULT_RETRY } from './options.js';
import { StoredTimes } from './stored-times.js';
import { addToSharedStore, type Added } from './shared-add.js';
import { StoreWriter } from './store-writer.js';
import { oneAtATime } from './one-at-a-time.js';

/** What the queue needs besides its store. */
export interface QueueOptions {
  readonly store: QueueStore;
  /** Clock and caps of stored times. @default the machine's clock and the default retry caps */
  readonly times?: StoredTimes;
  /** Store trouble that is not thrown to a caller (a line quarantined on load, a failed re-read). */
  readonly report?: (error: Error) => void;
  /** Sees the store's meta values after every read (the endpoint gate lives there). */
  readonly adoptMeta?: (meta: Readonly<Record<string, number>>) => void;
  /**
   * True once the owner is closing: `add` then throws `OutboxClosedError` (checked after its
   * waits for earlier calls), and a re-read it cut short is no trouble of the store's.
   */
  readonly isClosing?: () => boolean;
  /** Deletes of delivered records still owed to the store: written again before a re-read, which leaves out those still owed. */
  readonly owed?: OwedDeletes;
}

/** Deletes of delivered records that have not reached the store yet. */
export interface OwedDeletes {
  owes(key: string): boolean;
  /** Tries to write them (a failure is reported, not thrown). */
  writeOwed(): Promise<void>;
}


const noop = () => undefined;

/**
 * The queue over a store, with no sender: add, requeue, purge, list, re-read. The outbox sends
 * from it; the CLI's `status`, `dead`, `requeue` and `purge` use it alone (no endpoint, no
 * credentials). Every write is all or nothing: memory is put back when the store refuses it.
 */
export class Queue {
  readonly state: QueueState;
  readonly writer: StoreWriter;
  /** Resolves once the store was read; rejects (a StoreError) when it could not be. */
  readonly ready: Promise<void>;
  readonly #store: QueueStore;
  readonly #times: StoredTimes;
  readonly #report: (error: Error) => void;
  readonly #adoptMeta: (meta: Readonly<Record<string, number>>) => void;
  readonly #isClosing: () => boolean;
  readonly #owed: OwedDeletes | undefined;

  constructor(options: QueueOptions) {
    this.#store = options.store;
    this.#times = options.times ?? new StoredTimes(clockFrom(undefined), DEFAULT_RETRY);
    this.#report = options.report ?? noop;
    this.#adoptMeta = options.adoptMeta ?? noop;
    this.#isClosing = options.isClosing ?? (() => false);
    this.#owed = options.owed;
    this.state = new QueueState(this.#times);
    this.writer = new StoreWriter(options.store);
    this.ready = this.#load();
    this.ready.catch(noop);
  }

  /**
   * Stores `records` as pending for `projectId`: an id already pending (or earlier in this call)
   * is coalesced, a dead one is replaced. Resolves once they are durable.
   * @throws StoreError when the store refused the write (nothing kept).
   */
  async add(records: readonly AuthorizationMail[], projectId: string, language: Language | undefined): Promise<Added> {
    await this.ready;
    // A twin of one of these records still being written by another call: wait for that write
    // first, so this call never coalesces into a record whose write then fails (all or nothing).
    const keys = records.map((record) => entryKey(projectId, record.id));
    while (keys.some((key) => this.state.pendingEntry(key) && !this.state.isDurable(key))) {
      await this.writer.idle();
      await new Promise((resolve) => setTimeout(resolve, 0)); // let that call settle its reservation
    }
    if (this.#isClosing()) throw new OutboxClosedError('enqueue');
    // A store several outboxes send from coalesces itself; nothing is reserved here (see shared-add.ts).
    const shared = this.#store.addNew?.bind(this.#store);
    if (shared) return addToSharedStore(shared, records, { projectId, language, enqueuedAt: this.#times.now(), seq: () => this.state.nextSeq() });
    // Check and reserve in one synchronous step, so concurrent calls with an id coalesce.
    const now = this.#times.now();
    const added: OutboxEntry[] = [];
    const replaced: OutboxEntry[] = [];
    const coalesced: AuthorizationMail[] = [];
    const addedKeys = new Set<string>();
    for (const record of records) {
      const key = entryKey(projectId, record.id);
      if (this.state.pendingEntry(key) || addedKeys.has(key)) {
        coalesced.push(record);
        continue;
      }
      const dead = this.state.deadEntry(key);
      if (dead) replaced.push(dead);
      addedKeys.add(key);
      added.push({ key, record, projectId, language, seq: this.state.nextSeq(), enqueuedAt: now, attempts: 0, nextAttemptAt: 0, state: 'pending' });
    }
    await this.#storeNew(added, replaced, 'enqueue');
    return { added, coalesced };
  }

  /** Copies of the pending entries, oldest first. */
  async pending(): Promise<OutboxEntry[]> {
    await this.ready;
    return structuredClone(this.state.pendingEntries());
  }

  /** Copies of the dead-lettered entries. */
  async dead(): Promise<OutboxEntry[]> {
    await this.ready;
    return structuredClone(this.state.deadEntries());
  }

  /** Puts dead entries (all, or these record ids) back as pending, attempts and age reset; resolves how many. */
  async requeue(ids?: readonly string[]): Promise<number> {
    await this.ready;
    const wanted = ids === undefined ? undefined : new Set(ids);
    const dead = this.state.deadEntries().filter((entry) => wanted === undefined || wanted.has(entry.record.id));
    const now = this.#times.now();
    const revived = dead.map((entry) => revivedEntry(entry, now, this.state.nextSeq()));
    await this.#storeNew(revived, dead, 'requeue');
    return revived.length;
  }

  /** Removes every dead entry, or these record ids whatever their state; resolves how many. */
  async purge(ids?: readonly string[]): Promise<number> {
    await this.ready;
    const wanted = ids === undefined ? undefined : new Set(ids);
    const candidates = wanted === undefined ? this.state.deadEntries() : [...this.state.pendingEntries(), ...this.state.deadEntries()];
    const keys = candidates.filter((entry) => wanted === undefined || wanted.has(entry.record.id)).map((entry) => entry.key);
    // Forget first, so a batch in flight cannot write a purged record back.
    const removed = this.state.remove(keys);
    try {
      await this.writer.write({ delete: keys });
    } catch (error) {
      this.state.restore(removed);
      throw toStoreError('purge', error);
    }
    return removed.length;
  }

  /**
   * Re-reads the store and merges what others wrote (entries this instance is working on are
   * kept). One read at a time; calls that come meanwhile share one more read after it. A read
   * that fails is reported, not thrown.
   */
  readonly sync: () => Promise<void> = oneAtATime(() => this.#syncOnce());

  async #syncOnce(): Promise<void> {
    await this.ready;
    const touched = this.state.beginSync();
    const metaChanges = this.writer.metaChanges;
    let contents;
    try {
      // Owed deletes first (else a worker that holds its delivered rows never claims past them);
      // what this instance wrote must be in the read: wait for its writes first.
      await this.#owed?.writeOwed();
      await this.writer.idle();
      contents = await this.#store.load();
    } catch (error) {
      this.state.sync([], touched);
      // A re-read cut short by close() is no trouble of the store's.
      if (!this.#isClosing()) this.#report(toStoreError('load', error));
      return;
    }
    for (const problem of contents.problems ?? []) this.#report(new StoreError('load', problem));
    const owed = this.#owed;
    this.state.sync(
      contents.entries.flatMap((raw) => {
        const entry = parseStoredEntry(raw);
        return entry && !owed?.owes(entry.key) ? entry : [];
      }),
      touched,
    );
    // Meta written here since the read began (flush() lifting the gate, say) is newer than it.
    if (this.writer.metaChanges === metaChanges) this.#adoptMeta(contents.meta);
  }

  /**
   * Stores new pending entries (replacing `replaced`, e.g. dead ones of the same keys), all or
   * nothing: they are reserved at once (so concurrent calls see them) and, if the write fails,
   * memory is put back as it was.
   */
  async #storeNew(entries: OutboxEntry[], replaced: OutboxEntry[], operation: string): Promise<void> {
    const keys = entries.map((entry) => entry.key);
    this.state.reserve(entries);
    try {
      await this.writer.write({ put: entries });
    } catch (error) {
      this.state.remove(keys);
      this.state.restore(replaced);
      throw toStoreError(operation, error);
    }
    this.state.markDurable(keys);
  }

  async #load(): Promise<void> {
    let contents;
    try {
      // Never synchronously, even for a store that throws at once: listeners subscribed right
      // after the outbox was created must hear about it.
      await Promise.resolve();
      contents = await this.#store.load();
    } catch (error) {
      const storeError = toStoreError('load', error);
      this.#report(storeError);
      // A store many outboxes share holds the queue for them all; this instance's memory holds
      // only what it claimed: it starts with nothing, and its next read claims again.
      if (this.#store.addNew) return;
      throw storeError;
    }
    for (const problem of contents.problems ?? []) this.#report(new StoreError('load', problem));
    const entries: OutboxEntry[] = [];
    for (const raw of contents.entries) {
      // Stores that check what they read back say so; others' entries are checked here.
      const entry = contents.validated ? raw : parseStoredEntry(raw);
      if (entry) entries.push(entry);
      else this.#report(new StoreError('load', 'an invalid entry was skipped'));
    }
    this.state.load(entries);
    this.#adoptMeta(contents.meta);
  }
}
