import type { ErrorInfo } from '../store/entry.js';
import type { BatchSender } from './batch-sender.js';
import { toErrorInfo } from '../errors/to-error-info.js';
import type { DrainSummary, Emitter, PauseReason } from './events.js';
import type { EndpointGate } from './gate.js';
import type { ResolvedOptions } from './options.js';
import type { QueueState } from './queue-state.js';
import type { SenderWrites } from './sender-writes.js';
import type { Wake } from './wake.js';

/** What the runner needs of its outbox. */
export interface RunnerContext {
  readonly options: ResolvedOptions;
  readonly state: QueueState;
  readonly wake: Wake;
  readonly events: Emitter;
  readonly sender: BatchSender;
  readonly gate: EndpointGate;
  readonly gateKey: string;
  readonly senderWrites: SenderWrites;
  /** Resolves once the queue was read from the store. */
  readonly ready: Promise<void>;
  /** True while this instance's role lets it send (`leader` or `single`). */
  isSender(): boolean;
  /** True once the outbox is closing. */
  isClosing(): boolean;
  /** Records in a request right now (for a non-sender: announced by the sender, outcome not heard yet). */
  inFlightCount(): number;
}

interface DrainWaiter {
  resolve: (summary: DrainSummary) => void;
  sentAtStart: number;
  failedAtStart: number;
}

/**
 * The send loop: `concurrency` workers that claim batches and hand them to the sender, sleep
 * until the next record is due or expires, and end the `drain()` calls waiting for "nothing
 * pending". Also the pause state. A `drain()` waits on this state whoever sends: a non-sending
 * instance's drains end when its view of the store (kept fresh by its host) holds nothing
 * pending, or when the sender pauses.
 */
export class Runner {
  /** Records delivered and dead-lettered, own and (for a follower) relayed: drain summaries count them. */
  readonly counters = { sent: 0, failed: 0 };
  readonly #ctx: RunnerContext;
  readonly #waiters = new Set<DrainWaiter>();
  #lastDrained = { sentAtStart: 0, failedAtStart: 0 };
  #started = false;
  #paused: PauseReason | undefined;
  #running: Promise<void> | undefined;
  /** `enqueue()` calls under way: a drain is not over while one may still add a record. */
  readonly #arriving = new Set<Promise<unknown>>();
  /** Batches a worker is sending or expiring: their outcome (and the drain's counts) comes after the queue shows them gone. */
  #batches = 0;
  /** A read of the store that must land before anything is claimed (see `claimAfter`). */
  #fresh: Promise<unknown> | undefined;

  constructor(context: RunnerContext) {
    this.#ctx = context;
  }

  get pausedReason(): PauseReason | undefined {
    return this.#paused;
  }

  /** The workers' run, while they run. */
  get running(): Promise<void> | undefined {
    return this.#running;
  }

  /**
   * Claims nothing until `read` (a re-read of the store) has landed, then runs. For an instance
   * that takes over sending: its view may predate the last deletes of the one that sent before
   * (their `changed` may not have arrived yet), and a record claimed from that view would be
   * sent again although its delivery was over before the change.
   */
  claimAfter(read: Promise<unknown>): void {
    const fresh = read.catch(() => undefined);
    this.#fresh = fresh;
    void fresh.then(() => {
      if (this.#fresh === fresh) this.#fresh = undefined;
      this.kick();
    });
  }

  start(): void {
    this.#started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#ctx.wake.wake();
    await this.#running;
  }

  /** Resolves when nothing is pending or sending pauses; rejects with `signal`'s reason when it aborts. */
  drain(signal?: AbortSignal): Promise<DrainSummary> {
    const { counters } = this;
    // Paused (own pause, or the sender's, mirrored): nothing will be sent until resumed. Closing:
    // nothing will be sent at all (a drain called before close() and still loading ends here).
    if (this.#paused || this.#ctx.isClosing()) return Promise.resolve(this.#summary({ sentAtStart: counters.sent, failedAtStart: counters.failed }));
    return new Promise<DrainSummary>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(waiter);
        this.#ctx.wake.wake();
        reject(signal?.reason);
      };
      const waiter: DrainWaiter = {
        resolve: (summary) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(summary);
        },
        sentAtStart: counters.sent,
        failedAtStart: counters.failed,
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#ctx.isSender()) this.kick();
      else this.settleIfIdle();
    });
  }

  /** Makes every pending record due now and sends; resolves (or rejects on `signal`) like `drain()`. */
  async flush(signal?: AbortSignal): Promise<DrainSummary> {
    const { state, gate, gateKey, senderWrites, wake } = this.#ctx;
    const changed = state.clearBackoff();
    gate.notBefore = 0;
    const persisted = senderWrites.persist({ put: changed, meta: { [gateKey]: undefined } });
    wake.wake();
    const summary = this.drain(signal);
    summary.catch(() => undefined); // an abort while the write below is under way is the caller's to see
    await persisted;
    return summary;
  }

  /** This instance's own pause (announced, and forwarded to other instances by its host). */
  pause(reason: PauseReason, error?: ErrorInfo): void {
    if (this.#paused || this.#ctx.isClosing()) return;
    this.#paused = reason;
    this.#ctx.events.emit('paused', error ? { reason, error } : { reason });
    this.#ctx.wake.wake();
    this.#settle(true);
  }

  /** Lifts a pause; false when there was none. */
  resume(): boolean {
    const reason = this.#paused;
    if (!reason || this.#ctx.isClosing()) return false;
    this.#paused = undefined;
    this.#ctx.events.emit('resumed', { reason });
    this.kick();
    return true;
  }

  /** Mirrors the sender's pause state (a follower hears `paused` and `resumed` relayed). */
  mirrorPause(reason: PauseReason | undefined): void {
    this.#paused = reason;
    if (reason) this.#settle(false);
  }

  /** True while a `drain()` waits. */
  get draining(): boolean {
    return this.#waiters.size > 0;
  }

  /**
   * For a non-sending instance, after its view changed (a re-read, a relayed outcome): ends its
   * drains when nothing is pending, arriving, or in the sender's request still (its outcome, and
   * so the drain's counts, may reach this instance after the store shows the record gone).
   */
  settleIfIdle(): void {
    const { state } = this.#ctx;
    if (this.#ctx.isSender() || this.#waiters.size === 0) return;
    if (state.pendingCount === 0 && this.#arriving.size === 0 && this.#ctx.inFlightCount() === 0) this.#settle(false);
  }

  /** Ends every waiting drain (at close). */
  settleAll(): void {
    this.#settle(this.#ctx.isSender());
  }

  /** Tracks an `enqueue()` under way until it settles (a drain waits for it). */
  arriving(work: Promise<unknown>): void {
    const done = () => {
      this.#arriving.delete(work);
      this.settleIfIdle();
    };
    this.#arriving.add(work);
    work.then(done, done);
  }

  /** Starts paused for `reason`, announced in a microtask (listeners subscribed right after creation hear it). */
  startPaused(reason: PauseReason): void {
    this.#paused = reason;
    queueMicrotask(() => {
      if (this.#paused === reason) this.#ctx.events.emit('paused', { reason });
    });
  }

  /** False once the outbox is closing, stopping or paused, or another instance sends: no new request may start. */
  mayProceed(): boolean {
    return this.#shouldRun();
  }

  #shouldRun(): boolean {
    return !this.#ctx.isClosing() && !this.#paused && this.#ctx.isSender() && (this.#started || this.#waiters.size > 0);
  }

  /** Starts the workers if there is a reason to send and they are not running. */
  kick(): void {
    this.#ctx.wake.wake();
    if (this.#running || !this.#shouldRun()) return;
    const workers = Array.from({ length: this.#ctx.options.concurrency }, () => this.#work());
    this.#running = Promise.all(workers).then(() => {
      this.#running = undefined;
      if (this.#shouldRun()) this.kick();
    });
  }

  async #work(): Promise<void> {
    const { state, sender, options, wake, events } = this.#ctx;
    await this.#ctx.ready.catch(() => undefined);
    while (this.#shouldRun()) {
      try {
        if (this.#fresh) {
          await this.#fresh;
          continue;
        }
        const { batchSize, maxAgeMs } = options;
        const { batch, expired } = state.claimBatch(options.clock.now(), batchSize, maxAgeMs);
        if (expired.length > 0) await this.#batch(sender.expire(expired));
        if (batch.length > 0) {
          await this.#batch(sender.send(batch));
          continue;
        }
        if (expired.length > 0) continue;
        if (state.pendingCount === 0 && this.#arriving.size > 0) {
          await Promise.allSettled([...this.#arriving]);
          continue;
        }
        // Another worker's batch may be gone from the queue but not yet reported (its delete
        // being written): the drain ends when that worker is done, not before.
        if (state.pendingCount === 0 && this.#batches === 0) {
          this.#settle(true);
          if (!this.#shouldRun()) return;
        }
        // Until the next record is due, or the next one reaches maxAgeMs, whichever is first.
        const { dueAt, expiresAt } = state.nextTimes(maxAgeMs);
        await wake.sleep(Math.min(dueAt, expiresAt));
      } catch (error) {
        events.emit('error', { error: toErrorInfo(error), during: 'internal' });
        await wake.pause(options.retry.minDelayMs);
      }
    }
  }

  async #batch(work: Promise<void>): Promise<void> {
    this.#batches++;
    try {
      await work;
    } finally {
      this.#batches--;
    }
  }

  #summary(waiter: Pick<DrainWaiter, 'sentAtStart' | 'failedAtStart'>): DrainSummary {
    return {
      sent: this.counters.sent - waiter.sentAtStart,
      failed: this.counters.failed - waiter.failedAtStart,
      pending: this.#ctx.state.pendingCount,
    };
  }

  /** Ends every waiting `drain()`; the sender also announces `drained` (once per stretch of work). */
  #settle(announce: boolean): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.resolve(this.#summary(waiter));
    const summary = this.#summary(this.#lastDrained);
    this.#lastDrained = { sentAtStart: this.counters.sent, failedAtStart: this.counters.failed };
    if (announce && (waiters.length > 0 || summary.sent + summary.failed > 0)) this.#ctx.events.emit('drained', summary);
  }
}
