import type { AuthorizationMail, AuthorizationMailInput, Language } from '../api/schemas.js';
import { validateRecords } from '../api/validate-records.js';
import { OutboxClosedError } from '../errors/OutboxClosedError.js';
import { StoreError } from '../errors/StoreError.js';
import { toStoreError } from '../errors/to-store-error.js';
import type { OutboxEntry } from '../store/entry.js';
import type { QueueStore } from '../store/QueueStore.js';
import { BatchSender } from './batch-sender.js';
import { singleOwner, type Coordinator, type EngineHost } from './coordinator.js';
import { EngineRole } from './engine-role.js';
import { toErrorInfo } from '../errors/to-error-info.js';
import { Emitter, type DrainSummary, type OutboxEventName, type OutboxEvents, type OutboxListener, type PauseReason } from './events.js';
import { EndpointGate } from './gate.js';
import { LiveSnapshot } from './live-snapshot.js';
import { RecordEvents } from './record-events.js';
import { parseEnqueueOptions } from '../options/outbox-options.js';
import { resolveOptions, type OutboxOptions, type ResolvedOptions } from './options.js';
import type { EnqueueOptions, EnqueueResult, Outbox } from './outbox-interface.js';
import { Queue } from './queue.js';
import { Runner } from './runner.js';
import { SenderWrites } from './sender-writes.js';
import type { OutboxSnapshot } from './snapshot.js';
import { RequestStats } from './request-stats.js';
import { statsOf, type OutboxStats } from './stats.js';
import { StoredTimes } from './stored-times.js';
import { Wake } from './wake.js';

export type { EnqueueOptions, EnqueueResult, Outbox } from './outbox-interface.js';
export type { EngineHost } from './coordinator.js';

/**
 * The facade and its lifecycle: checks the caller's input, then hands it to the parts (the queue
 * over the store, the runner and its sender, the live snapshot) and to the host's coordinator.
 */
class OutboxImpl implements Outbox {
  readonly #options: ResolvedOptions;
  readonly #store: QueueStore;
  readonly #ownsStore: boolean;
  readonly #coordinator: Coordinator;
  readonly #events = new Emitter((name, event) => this.#observe(name, event));
  readonly #snapshot: LiveSnapshot;
  readonly #records: RecordEvents;
  readonly #queue: Queue;
  readonly #wake: Wake;
  readonly #gate: EndpointGate;
  readonly #senderWrites: SenderWrites;
  readonly #runner: Runner;
  readonly #requests: RequestStats;
  readonly #role: EngineRole;
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(options: OutboxOptions, host: EngineHost) {
    const resolved = (this.#options = resolveOptions(options));
    this.#ownsStore = resolved.store === undefined;
    this.#store = resolved.store ?? host.makeStore();
    this.#coordinator = host.coordinator ?? singleOwner();
    const times = new StoredTimes(resolved.clock, resolved.retry);
    const gateKey = `gate:${resolved.endpoint}`;
    const reportStore = (error: Error) => this.#events.emit('error', { error: toErrorInfo(error), during: 'store' });
    this.#wake = new Wake(resolved.clock);
    this.#requests = new RequestStats(resolved.clock);
    this.#gate = new EndpointGate(resolved.maxRequestsPerSecond, times);
    this.#queue = new Queue({
      store: this.#store,
      times,
      report: reportStore,
      adoptMeta: (meta) => this.#gate.adopt(meta[gateKey] ?? 0),
      isClosing: () => this.#closing,
      owed: { owes: (key) => this.#senderWrites.owes(key), writeOwed: () => this.#senderWrites.persist({}) },
    });
    const state = this.#queue.state;
    this.#senderWrites = new SenderWrites(
      this.#queue.writer,
      (key) => state.pendingEntry(key) !== undefined || state.deadEntry(key) !== undefined,
      (error) => reportStore(toStoreError('write', error)),
    );
    this.#snapshot = new LiveSnapshot(
      () => ({ pending: state.pendingEntries(), dead: state.deadEntries(), pausedReason: this.#runner.pausedReason, role: this.#role.role }),
      () => resolved.clock.now(),
      (error) => this.#events.emit('error', { error: toErrorInfo(error), during: 'listener' }),
    );
    // What the sender and the runner both work with.
    const shared = { options: resolved, state, gate: this.#gate, gateKey, wake: this.#wake, events: this.#events, stats: this.#requests };
    const sender = new BatchSender({
      ...shared,
      records: (this.#records = new RecordEvents({ events: this.#events, counters: () => this.#runner.counters, snapshot: this.#snapshot, everyEventWanted: () => this.#coordinator.publish !== undefined })),
      persist: (change) => this.#senderWrites.persist(change),
      mayProceed: () => this.#runner.mayProceed(),
      pause: (reason, error) => this.#runner.pause(reason, error),
      batchSettled: (keys) => this.#snapshot.settled(keys),
      host,
    });
    this.#runner = new Runner({
      ...shared,
      sender,
      senderWrites: this.#senderWrites,
      ready: this.#queue.ready,
      isSender: () => this.#role.isSender,
      isClosing: () => this.#closing,
      inFlightCount: () => this.#snapshot.inFlight.size,
    });
    if ('onProblem' in this.#store) this.#store.onProblem = (problem) => reportStore(new StoreError('write', problem));
    if (host.initialPause) this.#runner.startPaused(host.initialPause);
    const [sync, askSenderToDrain] = [() => this.#sync(), () => this.#askSenderToDrain()];
    this.#role = new EngineRole({ events: this.#events, runner: this.#runner, snapshot: this.#snapshot, sync, askSenderToDrain, outbox: this, isClosing: () => this.#closing });
    this.#coordinator.start(this.#role);
    resolved.signal?.addEventListener('abort', this.#closeOnAbort, { once: true });
    if (resolved.signal?.aborted) void this.close();
  }

  get pausedReason(): PauseReason | undefined {
    return this.#runner.pausedReason;
  }

  on<E extends OutboxEventName>(event: E, listener: OutboxListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  async enqueue(input: AuthorizationMailInput | readonly AuthorizationMailInput[], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.#assertOpen('enqueue');
    const given = parseEnqueueOptions(options);
    const projectId = given.projectId ?? this.#options.projectId;
    const records = validateRecords(input);
    const work = this.#add(records, projectId, given.language ?? this.#options.language);
    this.#runner.arriving(work);
    return work;
  }

  async #add(records: AuthorizationMail[], projectId: string, language: Language | undefined): Promise<EnqueueResult> {
    await this.#look();
    this.#assertOpen('enqueue');
    const { added, coalesced } = await this.#queue.add(records, projectId, language);
    this.#records.emit('enqueued', added, (entry) => ({ record: entry.record, projectId: entry.projectId }));
    if (added.length > 0) await this.#changed();
    return { added: added.map((entry) => entry.record), coalesced };
  }

  async drain(options: { signal?: AbortSignal } = {}): Promise<DrainSummary> {
    this.#assertOpen('drain');
    await this.#queue.ready;
    options.signal?.throwIfAborted();
    if (!this.#role.isSender) await this.#sync();
    const summary = this.#runner.drain(options.signal);
    this.#askSenderToDrain();
    return summary;
  }

  start(): void {
    this.#assertOpen('start');
    this.#runner.start();
  }

  stop(): Promise<void> {
    return this.#runner.stop();
  }

  async flush(options: { signal?: AbortSignal } = {}): Promise<DrainSummary> {
    this.#assertOpen('flush');
    await this.#queue.ready;
    options.signal?.throwIfAborted();
    if (this.#closing) return this.#runner.drain(); // close() came first: ends at once
    if (!this.#role.isSender) {
      this.#coordinator.forward('flush');
      return this.drain(options);
    }
    const summary = this.#runner.flush(options.signal);
    this.#snapshot.invalidate();
    return summary;
  }

  pause(reason: PauseReason = 'offline'): void {
    if (this.#role.isSender) this.#runner.pause(reason);
    else this.#coordinator.forward('pause', reason);
  }

  resume(): void {
    if (this.#role.isSender) this.#runner.resume();
    else this.#coordinator.forward('resume', this.#runner.pausedReason);
  }

  async pending(): Promise<OutboxEntry[]> {
    await this.#look();
    return this.#queue.pending();
  }

  async dead(): Promise<OutboxEntry[]> {
    await this.#look();
    return this.#queue.dead();
  }

  async requeue(ids?: readonly string[]): Promise<number> {
    this.#assertOpen('requeue');
    await this.#look();
    const count = await this.#queue.requeue(ids);
    this.#snapshot.invalidate();
    if (count > 0) await this.#changed();
    return count;
  }

  async purge(ids?: readonly string[]): Promise<number> {
    this.#assertOpen('purge');
    await this.#look();
    const count = await this.#queue.purge(ids);
    this.#snapshot.invalidate();
    if (count > 0) await this.#changed();
    return count;
  }

  stats(): OutboxStats {
    return statsOf(this.#queue.state, this.#snapshot.inFlight.size, this.#requests, this.#options.clock.now(), { pausedReason: this.pausedReason, role: this.#role.role });
  }

  get subscribe(): (listener: () => void) => () => void {
    return this.#snapshot.subscribe;
  }

  get getSnapshot(): () => OutboxSnapshot {
    return this.#snapshot.get;
  }

  close(): Promise<void> {
    return (this.#closed ??= this.#close());
  }

  readonly [Symbol.asyncDispose] = (): Promise<void> => this.close();

  readonly #closeOnAbort = () => void this.close();

  /** Rejects (a StoreError) when delivered records could not be deleted, after releasing everything anyway. */
  async #close(): Promise<void> {
    this.#closing = true;
    this.#options.signal?.removeEventListener('abort', this.#closeOnAbort);
    this.#wake.wake();
    try {
      await this.#runner.running;
      await this.#queue.writer.idle();
      this.#runner.settleAll();
      await this.#senderWrites.settle();
    } finally {
      try {
        if (this.#ownsStore) await this.#store.close();
      } finally {
        await this.#coordinator.close();
      }
    }
  }

  #assertOpen(what: string): void {
    if (this.#closing) throw new OutboxClosedError(what);
  }

  /** Waits for the store's first read; a non-sender's memory may be behind the sender's writes: read again. */
  async #look(): Promise<void> {
    await this.#queue.ready;
    if (!this.#role.isSender) await this.#sync();
  }

  /** A caller's write changed the queue: the sender looks again; resolves once the host passed the word on (a page wakes its worker). */
  async #changed(): Promise<void> {
    const told = this.#coordinator.changed();
    this.#runner.kick();
    this.#runner.settleIfIdle();
    await told;
  }

  /** A non-sender's drain ends on its own view; the sender may not be draining (not started): ask it to. */
  #askSenderToDrain(): void {
    if (this.#role.isSender || !this.#runner.draining || this.#runner.pausedReason) return;
    if (this.#queue.state.pendingCount > 0) this.#coordinator.forward('drain');
  }

  async #sync(): Promise<void> {
    await this.#queue.sync();
    this.#snapshot.invalidate();
    this.#wake.wake();
    this.#runner.settleIfIdle();
  }

  /** Bookkeeping every event goes through, own and relayed: snapshot, drain counts, pause mirror, publishing. */
  #observe<E extends OutboxEventName>(name: E, event: OutboxEvents[E]): void {
    if (this.#role.relaying) {
      if (name === 'paused') this.#runner.mirrorPause((event as OutboxEvents['paused']).reason);
      if (name === 'resumed') this.#runner.mirrorPause(undefined);
    } else if (name !== 'coordination') {
      this.#coordinator.publish?.(name, event);
    }
    this.#records.observe(name, event);
    if (this.#role.relaying) this.#runner.settleIfIdle();
  }
}

/**
 * The outbox of an entry point: `options` checked (TypeError naming the first bad one), the
 * default store made by `host`, sending decided by `host.coordinator`.
 */
export function createEngine(options: OutboxOptions, host: EngineHost): Outbox {
  return new OutboxImpl(options, host);
}
