import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import { StoreError } from '../errors/StoreError.js';
import { assertProjectId } from '../api/endpoint.js';
import { LanguageSchema, type AuthorizationMail, type AuthorizationMailInput, type Language } from '../api/schemas.js';
import { validateRecords } from '../api/validate-records.js';
import { entryKey, parseStoredEntry, type ErrorInfo, type OutboxEntry } from '../store/entry.js';
import { MemoryStore } from '../store/MemoryStore.js';
import type { QueueStore } from '../store/QueueStore.js';
import { BatchSender } from './batch-sender.js';
import { toErrorInfo } from './error-info.js';
import { Emitter, type DrainSummary, type OutboxEventName, type OutboxEvents, type OutboxListener, type PauseReason } from './events.js';
import { EndpointGate } from './gate.js';
import { resolveOptions, type OutboxOptions, type ResolvedOptions } from './options.js';
import { QueueState } from './queue-state.js';
import { SenderWrites } from './sender-writes.js';
import { buildSnapshot, type OutboxRole, type OutboxSnapshot } from './snapshot.js';
import { StoredTimes } from './stored-times.js';
import { StoreWriter } from './store-writer.js';
import { Wake } from './wake.js';
import { toStoreError } from '../errors/to-store-error.js';

/** Per-call overrides of `enqueue`. */
export interface EnqueueOptions {
  /** Project of these records. @default options.projectId */
  readonly projectId?: string;
  /** `X-Language` for these records. @default options.language */
  readonly language?: Language;
}

/** What `enqueue` did with each record. */
export interface EnqueueResult {
  /** Records now stored as pending (new, or replacing a dead-lettered one of the same id). */
  added: AuthorizationMail[];
  /** Records whose id was already pending for the same project: the queued one stands. */
  coalesced: AuthorizationMail[];
}

/** The outbox: see README "The outbox". */
export interface Outbox extends AsyncDisposable {
  /**
   * Validates the records (all or nothing) and stores them; resolves once they are durable.
   * An id already pending for the same project is coalesced; a dead-lettered one is revived.
   * @throws ValidationError naming each bad record's index and field (nothing stored).
   * @throws TypeError for a bad `projectId` or `language`; StoreError when the store refused the write.
   */
  enqueue(records: AuthorizationMailInput | readonly AuthorizationMailInput[], options?: EnqueueOptions): Promise<EnqueueResult>;
  /**
   * Sends everything pending, waiting through backoff, until nothing is pending or the outbox
   * pauses; resolves `{ sent, failed, pending }` counted over this drain. Concurrent calls share it.
   * Rejects with the signal's reason when `signal` aborts (sending goes on).
   */
  drain(options?: { signal?: AbortSignal }): Promise<DrainSummary>;
  /** Drains in the background as records arrive, until `stop()` or `close()`. */
  start(): void;
  /** Stops background draining; resolves when the request in flight has finished. */
  stop(): Promise<void>;
  /** Sends now, ignoring backoff and the endpoint gate (a "Resend now" button); resolves like `drain()`. */
  flush(): Promise<DrainSummary>;
  /** Stops sending (records stay queued) until `resume()`; emits `paused`. @default reason 'offline' */
  pause(reason?: PauseReason): void;
  /** Lifts a pause (whatever its reason) and sends again; emits `resumed`. */
  resume(): void;
  /** Why sending is paused, or `undefined`. */
  readonly pausedReason: PauseReason | undefined;
  /** Copies of the pending entries, oldest first (record, projectId, attempts, nextAttemptAt, lastError). */
  pending(): Promise<OutboxEntry[]>;
  /** Copies of the dead-lettered entries, with `deadReason` and `lastError`. */
  dead(): Promise<OutboxEntry[]>;
  /** Puts dead-lettered records (all, or these record ids) back in the queue with attempts and age reset; resolves how many. */
  requeue(ids?: readonly string[]): Promise<number>;
  /** Removes every dead-lettered record, or these record ids whatever their state; resolves how many. A purged record is never sent. */
  purge(ids?: readonly string[]): Promise<number>;
  /** Subscribes to one event; returns the unsubscribe function. A listener that throws is reported through `error`. */
  on<E extends OutboxEventName>(event: E, listener: OutboxListener<E>): () => void;
  /**
   * Calls `listener` after the snapshot changed (batched per microtask); returns the unsubscribe
   * function. A stable bound function: `useSyncExternalStore(outbox.subscribe, outbox.getSnapshot)`.
   */
  readonly subscribe: (listener: () => void) => () => void;
  /** The current snapshot: the same object until something changes. A stable bound function. */
  readonly getSnapshot: () => OutboxSnapshot;
  /**
   * Stops, waits for the request in flight, writes deletes still owed, closes the store if the
   * outbox created it, and releases locks. Idempotent.
   * @throws StoreError when delivered records could not be deleted (they may be sent again; their ids are named).
   */
  close(): Promise<void>;
}

/** What a platform entry (browser tabs, …) may hook into: not part of the public API. */
export interface EngineHooks {
  /** Makes the default store when `options.store` is not given; the outbox closes it. */
  makeStore?: () => QueueStore;
  /** Sees every event this instance emits itself (not the relayed ones), e.g. to relay it to other tabs. */
  onOwnEvent?: <E extends OutboxEventName>(name: E, event: OutboxEvents[E]) => void;
  /** Called after this instance changed the store on a caller's behalf (enqueue, requeue, purge, flush). */
  onCallerWrite?: () => void;
  /** Instead of waiting for its own sending, a follower's `drain()` may ask the leader. */
  remoteDrain?: () => Promise<DrainSummary>;
  /** Commands a follower forwards to the leader (flush, pause, resume). */
  forward?: (command: 'flush' | 'pause' | 'resume', reason?: PauseReason) => void;
  /** Runs last in `close()`, after the request in flight and the store (e.g. to release a lock). */
  onClose?: () => Promise<void> | void;
  /** Starts paused for this reason (e.g. created while the browser is offline); announced in a microtask. */
  initialPause?: PauseReason | undefined;
}

/** Controls of a platform entry over its engine. */
export interface EngineControl {
  /** Leader sends; follower only stores, watches and forwards; single works alone. */
  setRole(role: OutboxRole, reason?: string, announce?: boolean): void;
  readonly role: OutboxRole;
  /** Why this instance's sending is paused (a follower mirrors the sender's pause). */
  readonly pausedReason: PauseReason | undefined;
  /** Records pending in this instance's view. */
  readonly pendingCount: number;
  /** Re-reads the store and merges what other instances wrote (in-flight entries are kept). */
  syncFromStore(): Promise<void>;
  /** Emits an event that another instance emitted (no relaying back). */
  emitRelayed<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void;
  /** Runs a command forwarded by a follower (`resume` with a reason only lifts a pause of that reason). */
  runForwarded(command: 'flush' | 'pause' | 'resume', reason?: PauseReason): void;
}

interface DrainWaiter {
  resolve: (summary: DrainSummary) => void;
  sentAtStart: number;
  failedAtStart: number;
}

const gateKeyOf = (endpoint: string) => `gate:${endpoint}`;

class OutboxImpl implements Outbox, EngineControl {
  readonly #options: ResolvedOptions;
  readonly #store: QueueStore;
  readonly #ownsStore: boolean;
  readonly #hooks: EngineHooks;
  readonly #events = new Emitter((name, event) => this.#observe(name, event));
  /** Keys of records in a request right now (own or, relayed, the leader's). */
  readonly #inFlight = new Set<string>();
  readonly #subscribers = new Set<() => void>();
  #snapshot: OutboxSnapshot | undefined;
  #notifyQueued = false;
  #relaying = false;
  #role: OutboxRole = 'single';
  readonly #state: QueueState;
  readonly #wake: Wake;
  readonly #gate: EndpointGate;
  readonly #gateKey: string;
  readonly #writer: StoreWriter;
  readonly #senderWrites: SenderWrites;
  readonly #sender: BatchSender;
  readonly #ready: Promise<void>;
  readonly #counters = { sent: 0, failed: 0 };
  readonly #drainWaiters = new Set<DrainWaiter>();
  #started = false;
  #closing = false;
  #closed: Promise<void> | undefined;
  #paused: PauseReason | undefined;
  #running: Promise<void> | undefined;

  constructor(options: OutboxOptions, hooks: EngineHooks = {}) {
    this.#options = resolveOptions(options);
    this.#hooks = hooks;
    this.#ownsStore = this.#options.store === undefined;
    this.#store = this.#options.store ?? hooks.makeStore?.() ?? new MemoryStore();
    const times = new StoredTimes(this.#options.clock, this.#options.retry);
    this.#state = new QueueState(times);
    this.#wake = new Wake(this.#options.clock);
    this.#gate = new EndpointGate(this.#options.maxRequestsPerSecond, times);
    this.#gateKey = gateKeyOf(this.#options.endpoint);
    this.#writer = new StoreWriter(this.#store);
    this.#senderWrites = new SenderWrites(
      this.#writer,
      (key) => this.#state.pendingEntry(key) !== undefined || this.#state.deadEntry(key) !== undefined,
      (error) => this.#events.emit('error', { error: toErrorInfo(toStoreError('write', error)), during: 'store' }),
    );
    this.#sender = new BatchSender({
      options: this.#options,
      state: this.#state,
      gate: this.#gate,
      gateKey: this.#gateKey,
      wake: this.#wake,
      events: this.#events,
      counters: this.#counters,
      persist: (change) => this.#senderWrites.persist(change),
      mayProceed: () => this.#shouldRun(),
      pause: (reason, error) => this.#pause(reason, error),
      batchSettled: (keys) => {
        for (const key of keys) this.#inFlight.delete(key);
        this.#invalidate();
      },
    });
    if ('onProblem' in this.#store) {
      this.#store.onProblem = (problem) => this.#events.emit('error', { error: toErrorInfo(new StoreError('write', problem)), during: 'store' });
    }
    this.#ready = this.#load();
    this.#ready.catch(() => undefined);
    if (hooks.initialPause) {
      const reason = hooks.initialPause;
      this.#paused = reason;
      queueMicrotask(() => {
        if (this.#paused === reason) this.#events.emit('paused', { reason });
      });
    }
    this.#options.signal?.addEventListener('abort', this.#closeOnAbort, { once: true });
    if (this.#options.signal?.aborted) void this.close();
  }

  get pausedReason(): PauseReason | undefined {
    return this.#paused;
  }

  on<E extends OutboxEventName>(event: E, listener: OutboxListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  async enqueue(input: AuthorizationMailInput | readonly AuthorizationMailInput[], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.#assertOpen('enqueue');
    const projectId = options.projectId === undefined ? this.#options.projectId : assertProjectId(options.projectId, 'projectId');
    if (options.language !== undefined && !LanguageSchema.safeParse(options.language).success) {
      throw new TypeError(`language must be one of ${LanguageSchema.options.join(', ')}`);
    }
    const language = options.language ?? this.#options.language;
    const records = validateRecords(input);
    await this.#ready;
    // A follower's memory may be behind what the leader sent or dead-lettered: look again first.
    if (this.#role === 'follower') await this.syncFromStore();
    this.#assertOpen('enqueue');
    // A twin of one of these records still being written by another call: wait for that write
    // first, so this call never coalesces into a record whose write then fails (all or nothing).
    const keys = records.map((record) => entryKey(projectId, record.id));
    while (keys.some((key) => this.#state.pendingEntry(key) && !this.#state.isDurable(key))) {
      await this.#writer.idle();
      await new Promise((resolve) => setTimeout(resolve, 0)); // let that call settle its reservation
    }
    this.#assertOpen('enqueue');

    // Check and reserve in one synchronous step, so concurrent enqueues of an id coalesce.
    const now = this.#options.clock.now();
    const added: OutboxEntry[] = [];
    const replaced: OutboxEntry[] = [];
    const coalesced: AuthorizationMail[] = [];
    const addedKeys = new Set<string>();
    for (const record of records) {
      const key = entryKey(projectId, record.id);
      const queued = this.#state.pendingEntry(key);
      if (queued || addedKeys.has(key)) {
        coalesced.push(record);
        continue;
      }
      const dead = this.#state.deadEntry(key);
      if (dead) replaced.push(dead);
      addedKeys.add(key);
      added.push({ key, record, projectId, language, seq: this.#state.nextSeq(), enqueuedAt: now, attempts: 0, nextAttemptAt: 0, state: 'pending' });
    }
    await this.#storeNew(added, replaced, 'enqueue');
    for (const entry of added) this.#events.emit('enqueued', { record: entry.record, projectId: entry.projectId });
    if (added.length > 0) {
      this.#hooks.onCallerWrite?.();
      this.#kick();
    }
    return { added: added.map((entry) => entry.record), coalesced };
  }

  async drain(options: { signal?: AbortSignal } = {}): Promise<DrainSummary> {
    this.#assertOpen('drain');
    await this.#ready;
    options.signal?.throwIfAborted();
    // Paused (own pause, or the sender's mirrored by a follower): nothing will be sent until resumed.
    if (this.#paused) return this.#summary({ sentAtStart: this.#counters.sent, failedAtStart: this.#counters.failed });
    if (this.#role === 'follower' && this.#hooks.remoteDrain) return this.#followerDrain(this.#hooks.remoteDrain, options);
    return new Promise<DrainSummary>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = () => {
        this.#drainWaiters.delete(waiter);
        this.#wake.wake();
        reject(signal?.reason);
      };
      const waiter: DrainWaiter = {
        resolve: (summary) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(summary);
        },
        sentAtStart: this.#counters.sent,
        failedAtStart: this.#counters.failed,
      };
      this.#drainWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#kick();
    });
  }

  /**
   * A follower's drain: the sender's `drained` ends it, unless this instance becomes the sender
   * first (the sending tab closed), in which case it goes on as this instance's own drain.
   */
  #followerDrain(remoteDrain: () => Promise<DrainSummary>, options: { signal?: AbortSignal }): Promise<DrainSummary> {
    return new Promise<DrainSummary>((resolve, reject) => {
      let settled = false;
      const settle = (run: () => Promise<DrainSummary>) => {
        if (settled) return;
        settled = true;
        this.#onPromotion.delete(promote);
        run().then(resolve, reject);
      };
      const promote = () => settle(() => this.drain(options));
      this.#onPromotion.add(promote);
      remoteDrain().then(
        (summary) => settle(async () => summary),
        (error: unknown) => settle(() => Promise.reject(error)),
      );
    });
  }

  /** Follower drains waiting for another sender, to be taken over when this instance becomes the sender. */
  readonly #onPromotion = new Set<() => void>();

  start(): void {
    this.#assertOpen('start');
    this.#started = true;
    this.#kick();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#wake.wake();
    await this.#running;
  }

  async flush(): Promise<DrainSummary> {
    this.#assertOpen('flush');
    await this.#ready;
    if (this.#role === 'follower' && this.#hooks.forward) {
      this.#hooks.forward('flush');
      return this.drain();
    }
    const changed = this.#state.clearBackoff();
    this.#gate.notBefore = 0;
    const persisted = this.#senderWrites.persist({ put: changed, meta: { [this.#gateKey]: undefined } });
    this.#invalidate();
    this.#wake.wake();
    const summary = this.drain();
    await persisted;
    return summary;
  }

  pause(reason: PauseReason = 'offline'): void {
    if (this.#role === 'follower' && this.#hooks.forward) this.#hooks.forward('pause', reason);
    else this.#pause(reason, undefined);
  }

  resume(): void {
    if (this.#role === 'follower' && this.#hooks.forward) {
      this.#hooks.forward('resume', this.#paused);
      return;
    }
    const reason = this.#paused;
    if (!reason || this.#closing) return;
    this.#paused = undefined;
    this.#events.emit('resumed', { reason });
    this.#kick();
  }

  /**
   * Stores new pending entries (replacing `replaced`, e.g. dead ones of the same keys), all or
   * nothing: they are reserved at once (so concurrent calls see them) and, if the write fails,
   * memory is put back as it was.
   */
  async #storeNew(entries: OutboxEntry[], replaced: OutboxEntry[], operation: string): Promise<void> {
    const keys = entries.map((entry) => entry.key);
    this.#state.reserve(entries);
    try {
      await this.#writer.write({ put: entries });
    } catch (error) {
      this.#state.remove(keys);
      this.#state.restore(replaced);
      throw toStoreError(operation, error);
    }
    this.#state.markDurable(keys);
  }

  async pending(): Promise<OutboxEntry[]> {
    await this.#ready;
    if (this.#role === 'follower') await this.syncFromStore();
    return structuredClone(this.#state.pendingEntries());
  }

  async dead(): Promise<OutboxEntry[]> {
    await this.#ready;
    if (this.#role === 'follower') await this.syncFromStore();
    return structuredClone(this.#state.deadEntries());
  }

  async requeue(ids?: readonly string[]): Promise<number> {
    this.#assertOpen('requeue');
    await this.#ready;
    if (this.#role === 'follower') await this.syncFromStore();
    const wanted = ids === undefined ? undefined : new Set(ids);
    const dead = this.#state.deadEntries().filter((entry) => wanted === undefined || wanted.has(entry.record.id));
    const revived = dead.map(
      // A new lease of life: attempts and age count from now.
      (entry): OutboxEntry => ({ ...entry, state: 'pending', deadReason: undefined, attempts: 0, nextAttemptAt: 0, enqueuedAt: this.#options.clock.now(), seq: this.#state.nextSeq() }),
    );
    await this.#storeNew(revived, dead, 'requeue');
    this.#invalidate();
    if (revived.length > 0) {
      this.#hooks.onCallerWrite?.();
      this.#kick();
    }
    return revived.length;
  }

  async purge(ids?: readonly string[]): Promise<number> {
    this.#assertOpen('purge');
    await this.#ready;
    if (this.#role === 'follower') await this.syncFromStore();
    const wanted = ids === undefined ? undefined : new Set(ids);
    const candidates = wanted === undefined ? this.#state.deadEntries() : [...this.#state.pendingEntries(), ...this.#state.deadEntries()];
    const keys = candidates.filter((entry) => wanted === undefined || wanted.has(entry.record.id)).map((entry) => entry.key);
    // Forget first, so a batch in flight cannot write a purged record back.
    const removed = this.#state.remove(keys);
    try {
      await this.#writer.write({ delete: keys });
    } catch (error) {
      this.#state.restore(removed);
      throw toStoreError('purge', error);
    }
    this.#invalidate();
    if (removed.length > 0) this.#hooks.onCallerWrite?.();
    return removed.length;
  }

  /** Bound once: `useSyncExternalStore(outbox.subscribe, outbox.getSnapshot)` works unbound and never resubscribes. */
  readonly subscribe = (listener: () => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const wrapped = () => listener();
    this.#subscribers.add(wrapped);
    return () => void this.#subscribers.delete(wrapped);
  };

  /** Bound once, like `subscribe`. */
  readonly getSnapshot = (): OutboxSnapshot => {
    this.#snapshot ??= buildSnapshot({
      pending: this.#state.pendingEntries(),
      dead: this.#state.deadEntries(),
      inFlight: this.#inFlight,
      pausedReason: this.#paused,
      role: this.#role,
    }, this.#options.clock.now());
    return this.#snapshot;
  };

  // --- EngineControl (for platform entries) ---

  get role(): OutboxRole {
    return this.#role;
  }

  get pendingCount(): number {
    return this.#state.pendingCount;
  }

  setRole(role: OutboxRole, reason?: string, announce = true): void {
    // A role set silently (while the lock had not answered yet) is still announced once when asked.
    if (role === this.#role && reason === undefined && (!announce || this.#announcedRole === role)) return;
    const changed = role !== this.#role;
    // The role takes effect at once (a follower must not start sending); the event waits a
    // microtask, so listeners subscribed right after createOutbox() hear it.
    this.#role = role;
    if (announce) {
      this.#announcedRole = role;
      queueMicrotask(() => this.#events.emit('coordination', reason === undefined ? { role } : { role, reason }));
    } else this.#invalidate();
    if (role === 'leader' && changed) {
      // Take over from whoever sent before: what they left in flight is pending again.
      this.#inFlight.clear();
      void this.syncFromStore().then(
        () => {
          this.#kick();
          // Drains that were waiting for the old sender are this instance's own now.
          for (const promote of [...this.#onPromotion]) promote();
        },
        () => undefined,
      );
    }
  }

  #announcedRole: OutboxRole | undefined;

  async syncFromStore(): Promise<void> {
    // One read at a time; calls that come meanwhile share one more read after it.
    if (this.#syncing) {
      this.#syncAgain ??= this.#syncing.then(() => {
        this.#syncAgain = undefined;
        return this.#syncOnce();
      });
      return this.#syncAgain;
    }
    this.#syncing = this.#syncOnce().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  #syncing: Promise<void> | undefined;
  #syncAgain: Promise<void> | undefined;

  async #syncOnce(): Promise<void> {
    await this.#ready;
    const touched = this.#state.beginSync();
    let contents;
    try {
      // What this instance wrote must be in the read: wait for its writes first.
      await this.#writer.idle();
      contents = await this.#store.load();
    } catch (error) {
      this.#state.sync([], touched);
      this.#events.emit('error', { error: toErrorInfo(toStoreError('load', error)), during: 'store' });
      return;
    }
    this.#state.sync(
      contents.entries.flatMap((raw) => parseStoredEntry(raw) ?? []),
      touched,
    );
    this.#gate.adopt(contents.meta[this.#gateKey] ?? 0);
    this.#invalidate();
    this.#wake.wake();
  }

  emitRelayed<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    this.#relaying = true;
    try {
      this.#events.emit(name, event);
    } finally {
      this.#relaying = false;
    }
  }

  runForwarded(command: 'flush' | 'pause' | 'resume', reason?: PauseReason): void {
    if (this.#closing || this.#role === 'follower') return;
    if (command === 'flush') void this.flush().catch(() => undefined);
    else if (command === 'pause') this.pause(reason);
    else if (reason === undefined || reason === this.#paused) this.resume();
  }

  /** Bookkeeping every event goes through, own and relayed: snapshot, in-flight keys, relaying. */
  #observe<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    if (name === 'sending') {
      const { records, projectId } = event as OutboxEvents['sending'];
      for (const record of records) this.#inFlight.add(entryKey(projectId, record.id));
    } else if (name === 'sent' || name === 'retrying' || name === 'failed') {
      const { record, projectId } = event as OutboxEvents['sent'];
      this.#inFlight.delete(entryKey(projectId, record.id));
    } else if (name === 'paused' || name === 'drained') {
      this.#inFlight.clear();
    }
    if (this.#relaying) {
      // A follower mirrors the leader's pause state.
      if (name === 'paused') this.#paused = (event as OutboxEvents['paused']).reason;
      if (name === 'resumed') this.#paused = undefined;
    } else if (name !== 'coordination') {
      this.#hooks.onOwnEvent?.(name, event);
    }
    this.#invalidate();
  }

  /** Drops the cached snapshot and tells subscribers, once per microtask. */
  #invalidate(): void {
    this.#snapshot = undefined;
    if (this.#notifyQueued || this.#subscribers.size === 0) return;
    this.#notifyQueued = true;
    queueMicrotask(() => {
      this.#notifyQueued = false;
      for (const subscriber of [...this.#subscribers]) {
        try {
          subscriber();
        } catch (error) {
          this.#events.emit('error', { error: toErrorInfo(error), during: 'listener' });
        }
      }
    });
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  readonly #closeOnAbort = () => void this.close();

  /** Rejects (a StoreError) when delivered records could not be deleted, after releasing everything anyway. */
  async #close(): Promise<void> {
    this.#closing = true;
    this.#options.signal?.removeEventListener('abort', this.#closeOnAbort);
    this.#wake.wake();
    try {
      await this.#running;
      await this.#writer.idle();
      this.#settleDrains();
      await this.#senderWrites.settle();
    } finally {
      try {
        if (this.#ownsStore) await this.#store.close();
      } finally {
        await this.#hooks.onClose?.();
      }
    }
  }

  async #load(): Promise<void> {
    let contents;
    try {
      // Never inside the constructor, even for a store that throws synchronously: listeners
      // subscribed right after createOutbox() must hear about it.
      await Promise.resolve();
      contents = await this.#store.load();
    } catch (error) {
      const storeError = toStoreError('load', error);
      this.#events.emit('error', { error: toErrorInfo(storeError), during: 'store' });
      throw storeError;
    }
    for (const problem of contents.problems ?? []) {
      this.#events.emit('error', { error: toErrorInfo(new StoreError('load', problem)), during: 'store' });
    }
    const entries: OutboxEntry[] = [];
    for (const raw of contents.entries) {
      // Stores that check what they read back say so; others' entries are checked here.
      const entry = contents.validated ? raw : parseStoredEntry(raw);
      if (entry) entries.push(entry);
      else this.#events.emit('error', { error: toErrorInfo(new StoreError('load', 'an invalid entry was skipped')), during: 'store' });
    }
    this.#state.load(entries);
    this.#gate.adopt(contents.meta[this.#gateKey] ?? 0);
  }

  #assertOpen(what: string): void {
    if (this.#closing) throw new OutboxClosedError(what);
  }

  #pause(reason: PauseReason, error: ErrorInfo | undefined): void {
    if (this.#paused || this.#closing) return;
    this.#paused = reason;
    this.#events.emit('paused', error ? { reason, error } : { reason });
    this.#wake.wake();
    this.#settleDrains();
  }

  #shouldRun(): boolean {
    return !this.#closing && !this.#paused && this.#role !== 'follower' && (this.#started || this.#drainWaiters.size > 0);
  }

  /** Starts the workers if there is a reason to send and they are not running. */
  #kick(): void {
    this.#wake.wake();
    if (this.#running || !this.#shouldRun()) return;
    const workers = Array.from({ length: this.#options.concurrency }, () => this.#work());
    this.#running = Promise.all(workers).then(() => {
      this.#running = undefined;
      if (this.#shouldRun()) this.#kick();
    });
  }

  async #work(): Promise<void> {
    await this.#ready.catch(() => undefined);
    while (this.#shouldRun()) {
      try {
        const { batchSize, maxAgeMs } = this.#options;
        const { batch, expired } = this.#state.claimBatch(this.#options.clock.now(), batchSize, maxAgeMs);
        if (expired.length > 0) await this.#sender.expire(expired);
        if (batch.length > 0) {
          await this.#sender.send(batch);
          continue;
        }
        if (expired.length > 0) continue;
        if (this.#state.pendingCount === 0) {
          this.#settleDrains();
          if (!this.#shouldRun()) return;
        }
        // Until the next record is due, or the next one reaches maxAgeMs, whichever is first.
        const { dueAt, expiresAt } = this.#state.nextTimes(maxAgeMs);
        await this.#wake.sleep(Math.min(dueAt, expiresAt));
      } catch (error) {
        this.#events.emit('error', { error: toErrorInfo(error), during: 'internal' });
        await this.#wake.pause(this.#options.retry.minDelayMs);
      }
    }
  }

  #summary(waiter: Pick<DrainWaiter, 'sentAtStart' | 'failedAtStart'>): DrainSummary {
    return {
      sent: this.#counters.sent - waiter.sentAtStart,
      failed: this.#counters.failed - waiter.failedAtStart,
      pending: this.#state.pendingCount,
    };
  }

  #lastDrained = { sentAtStart: 0, failedAtStart: 0 };

  /** Ends every waiting `drain()` and announces `drained`. */
  #settleDrains(): void {
    const waiters = [...this.#drainWaiters];
    this.#drainWaiters.clear();
    const summary = this.#summary(this.#lastDrained);
    if (waiters.length === 0 && summary.sent + summary.failed === 0) return;
    this.#lastDrained = { sentAtStart: this.#counters.sent, failedAtStart: this.#counters.failed };
    for (const waiter of waiters) waiter.resolve(this.#summary(waiter));
    this.#events.emit('drained', summary);
  }
}

/**
 * Creates an outbox: records are validated and stored before `enqueue()` resolves, then sent in
 * batches, retried with backoff that honours `Retry-After`, and reported through events.
 * @throws TypeError naming the first bad option.
 * @example
 * const outbox = createOutbox({ endpoint, projectId, auth: { token: () => getToken() } });
 * outbox.on('sent', (e) => console.log(e.record.id));
 * await outbox.enqueue(records);
 * const { sent, failed, pending } = await outbox.drain();
 */
export function createOutbox(options: OutboxOptions): Outbox {
  return new OutboxImpl(options);
}

/**
 * For the platform entries: an outbox with hooks (a default store made after the options are
 * checked and closed with the outbox, event relaying, a follower role) and its controls.
 */
export function createOutboxEngine(options: OutboxOptions, hooks: EngineHooks): { outbox: Outbox; control: EngineControl } {
  const engine = new OutboxImpl(options, hooks);
  return { outbox: engine, control: engine };
}
