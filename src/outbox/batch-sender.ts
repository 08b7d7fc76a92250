import { isApiError, type ApiError } from '../errors/ApiError.js';
import { isOutboxError } from '../errors/OutboxError.js';
import { isAuthError } from '../errors/AuthError.js';
import type { Auth } from '../api/auth.js';
import { postCheckedMails, type ResendResult } from '../api/resend.js';
import type { DeadReason, ErrorInfo, OutboxEntry } from '../store/entry.js';
import { retryDelayMs } from './backoff.js';
import { credentialsFor } from '../api/token-deadline.js';
import { expiredErrorInfo, toErrorInfo } from '../errors/to-error-info.js';
import type { EngineHost } from './coordinator.js';
import type { Emitter, PauseReason } from './events.js';
import type { EndpointGate } from './gate.js';
import type { ResolvedOptions } from './options.js';
import type { QueueState } from './queue-state.js';
import type { RecordEvents } from './record-events.js';
import type { StoreChange } from './store-writer.js';
import type { RequestStats } from './request-stats.js';
import type { Wake } from './wake.js';

/** A request that got its 200, and the entries it carried. */
interface Delivery {
  result: ResendResult;
  sent: OutboxEntry[];
  durationMs: number;
}

/** What the sender needs of its outbox. */
export interface SenderContext {
  readonly options: ResolvedOptions;
  readonly state: QueueState;
  readonly gate: EndpointGate;
  readonly gateKey: string;
  readonly wake: Wake;
  readonly events: Emitter;
  /** The per-record events (`sent`, `retrying`, `failed`), once per batch. */
  readonly records: RecordEvents;
  /** Counts this instance's requests and times them. */
  readonly stats: RequestStats;
  /** Writes a change; a failure is reported through `error`, never thrown. */
  persist(change: StoreChange): Promise<void>;
  /** False once the outbox is closing, stopping or paused: no new request may start. */
  mayProceed(): boolean;
  pause(reason: PauseReason, error: ErrorInfo): void;
  /** The batch is over, whatever happened: its keys are no longer in flight. */
  batchSettled(keys: string[]): void;
  /** The host's look at what other instances wrote (gate, times) before a request waits its turn. */
  readonly host: Pick<EngineHost, 'beforeRequest' | 'stillHeld'>;
}

const PAUSE_REASONS: Partial<Record<ApiError['kind'], PauseReason>> = { auth: 'auth', forbidden: 'forbidden', config: 'config' };

function isRetryable(error: unknown): boolean {
  return isOutboxError(error) && error.retryable;
}

/**
 * Sends one batch until it is delivered, dead-lettered, split, or the outbox halts (closing,
 * stopping, paused): request, classify the answer, back off, split a refused batch.
 */
export class BatchSender {
  readonly #ctx: SenderContext;

  constructor(context: SenderContext) {
    this.#ctx = context;
  }

  #now(): number {
    return this.#ctx.options.clock.now();
  }

  /** The entries a batch claimed, as they are now: see `QueueState.stillClaimed`. */
  #stillClaimed(entries: readonly OutboxEntry[], now = this.#now()): OutboxEntry[] {
    const current: OutboxEntry[] = [];
    for (const entry of entries) {
      const still = this.#ctx.state.stillClaimed(entry, now);
      if (still) current.push(still);
    }
    return current;
  }

  async send(claimed: OutboxEntry[]): Promise<void> {
    let entries = claimed;
    try {
      // Attempts until delivered, refused, or nothing is left to send. The waits between them
      // are persisted next-attempt times and the endpoint gate (`#waitForTurn`), not timers of
      // a retry library: `flush()`, `close()` and a restart all see the same schedule.
      for (;;) {
        entries = await this.#waitForTurn(entries);
        if (entries.length === 0) return;
        try {
          const delivery = await this.#sendOnce(entries);
          if (delivery) await this.#delivered(delivery);
          return;
        } catch (error) {
          if (!isRetryable(error)) throw error;
          entries = await this.#scheduleRetry(entries, error as Error);
        }
      }
    } catch (error) {
      await this.#failed(entries, error);
    } finally {
      const keys = claimed.map((entry) => entry.key);
      this.#ctx.state.release(keys);
      this.#ctx.batchSettled(keys);
      this.#ctx.wake.wake();
    }
  }

  /** Dead-letters entries (they stay in the store, inspectable, until requeued or purged). */
  async deadLetter(entries: OutboxEntry[], reason: DeadReason, error: ErrorInfo, durationMs?: number): Promise<void> {
    // Only what is still pending: a record purged meanwhile must not come back.
    const dead = entries
      .filter((entry) => this.#ctx.state.pendingEntry(entry.key))
      .map((entry): OutboxEntry => ({ ...entry, state: 'dead', deadReason: reason, lastError: error, nextAttemptAt: 0 }));
    for (const entry of dead) this.#ctx.state.bury(entry);
    await this.#ctx.persist({ put: dead });
    this.#ctx.records.emit('failed', dead, (entry) => ({ record: entry.record, projectId: entry.projectId, reason, attempts: entry.attempts, error, durationMs }));
  }

  /** Dead-letters claimed entries that reached `maxAgeMs`, and lets go of them. */
  async expire(entries: OutboxEntry[]): Promise<void> {
    try {
      await this.deadLetter(entries, 'expired', expiredErrorInfo(this.#ctx.options.maxAgeMs));
    } finally {
      this.#ctx.state.release(entries.map((entry) => entry.key));
    }
  }

  /**
   * Waits for the gate and the entries' next-attempt times; re-reads the entries (they may have
   * been purged or flushed). Expiry does not wait for the gate: the sleep also ends when one of
   * these entries, or an unclaimed one, reaches `maxAgeMs`, and those are dead-lettered then.
   */
  async #waitForTurn(entries: OutboxEntry[]): Promise<OutboxEntry[]> {
    const { state, gate, wake } = this.#ctx;
    const { maxAgeMs } = this.#ctx.options;
    let othersExpireAt = Infinity;
    for (;;) {
      await this.#ctx.host.beforeRequest?.();
      if (!this.#ctx.mayProceed()) return [];
      let now = this.#now();
      if (othersExpireAt <= now) {
        const expired = state.claimExpired(now, maxAgeMs);
        if (expired.length > 0) await this.expire(expired);
      }
      let current = this.#stillClaimed(entries, now);
      // A record may have grown too old while it waited for the gate: dead-letter, don't send.
      const expired = current.filter((entry) => entry.enqueuedAt + maxAgeMs <= now);
      if (expired.length > 0) {
        await this.deadLetter(expired, 'expired', expiredErrorInfo(maxAgeMs));
        const gone = new Set(expired);
        current = this.#stillClaimed(current.filter((entry) => !gone.has(entry)));
        now = this.#now();
      }
      if (current.length === 0) return [];
      let openAt = gate.openAt();
      let expiresAt = Infinity;
      for (const entry of current) {
        openAt = Math.max(openAt, entry.nextAttemptAt);
        expiresAt = Math.min(expiresAt, entry.enqueuedAt + maxAgeMs);
      }
      if (openAt <= now) {
        gate.claimSlot(now);
        return current;
      }
      othersExpireAt = state.nextTimes(maxAgeMs).expiresAt;
      await wake.sleep(Math.min(openAt, expiresAt, othersExpireAt));
    }
  }

  async #sendOnce(entries: OutboxEntry[]): Promise<Delivery | undefined> {
    // Credentials first: a token provider that fails is not a send (no attempt counted, no
    // request made); the AuthError it throws pauses the outbox (`auth`).
    const auth = await this.#credentials(false);
    // Still ours? (A fleet worker that stood still may have lost its claim to another meanwhile.)
    if (this.#ctx.host.stillHeld) entries = this.#ctx.state.keepHeld(entries, await this.#ctx.host.stillHeld(entries));
    // The provider may have taken a while: paused, closing, or no longer the sender meanwhile?
    // Then no request (one started now would not be "the batch in flight" of any promise).
    if (!this.#ctx.mayProceed() || entries.length === 0) return undefined;
    const attempt = this.#countAttempt(entries);
    const first = entries[0] as OutboxEntry;
    this.#ctx.records.sending(entries, { records: entries.map((e) => e.record), projectId: first.projectId, language: first.language, attempt });
    try {
      return { ...(await this.#post(entries, auth)), sent: entries };
    } catch (error) {
      // 401: ask the token provider once for a fresh token, then give up (pause).
      const provider = this.#ctx.options.auth;
      if (!(isApiError(error) && error.kind === 'auth' && 'token' in provider && typeof provider.token === 'function')) throw error;
      const fresh = await this.#credentials(true);
      if (!this.#ctx.mayProceed()) return undefined;
      // The second request waits its turn like any other (gate, pacing).
      const again = await this.#waitForTurn(entries);
      if (again.length === 0) return undefined; // closing, paused, or nothing left of the batch
      this.#countAttempt(again);
      return { ...(await this.#post(again, fresh)), sent: again };
    }
  }

  #credentials(forceRefresh: boolean): Promise<Auth> {
    return credentialsFor(this.#ctx.options.auth, forceRefresh, this.#ctx.options.requestTimeoutMs);
  }

  #countAttempt(entries: OutboxEntry[]): number {
    let attempt = 0;
    for (const entry of entries) {
      const counted = { ...entry, attempts: entry.attempts + 1 };
      this.#ctx.state.update(counted);
      attempt = Math.max(attempt, counted.attempts);
    }
    return attempt;
  }

  async #post(entries: OutboxEntry[], auth: Auth): Promise<{ result: ResendResult; durationMs: number }> {
    const { options } = this.#ctx;
    const first = entries[0] as OutboxEntry;
    const call = { endpoint: options.endpoint, projectId: first.projectId, auth, language: first.language, timeoutMs: options.requestTimeoutMs, fetch: options.fetch };
    const { value, durationMs } = await this.#ctx.stats.measure(() => postCheckedMails(call, entries.map((entry) => entry.record)));
    return { result: value, durationMs };
  }

  /** After a retryable failure: persist attempts and the next attempt time, raise the gate, dead-letter what is out of attempts or time. */
  async #scheduleRetry(entries: OutboxEntry[], error: Error): Promise<OutboxEntry[]> {
    const { state, options, gate } = this.#ctx;
    const now = this.#now();
    const current = this.#stillClaimed(entries, now);
    if (current.length === 0) return [];
    const info = toErrorInfo(error);
    const durationMs = this.#ctx.stats.durationOf(error);
    let attempt = 0;
    for (const entry of current) attempt = Math.max(attempt, entry.attempts);
    const delayMs = retryDelayMs(attempt, isApiError(error) ? error.retryAfterMs : undefined, options.retry);
    const retryAt = now + delayMs;
    const outOfAttempts = current.filter((entry) => entry.attempts >= options.retry.maxAttempts);
    const outOfTime = current.filter((entry) => entry.attempts < options.retry.maxAttempts && retryAt >= entry.enqueuedAt + options.maxAgeMs);
    const retrying = current
      .filter((entry) => !outOfAttempts.includes(entry) && !outOfTime.includes(entry))
      .map((entry): OutboxEntry => ({ ...entry, nextAttemptAt: retryAt, lastError: info }));
    for (const entry of retrying) state.update(entry);
    gate.raise(retryAt);
    await this.#ctx.persist({ put: retrying, meta: { [this.#ctx.gateKey]: gate.notBefore } });
    this.#ctx.records.emit('retrying', retrying, (entry) => ({ record: entry.record, projectId: entry.projectId, attempt: entry.attempts, delayMs, retryAt, error: info, durationMs }));
    if (outOfAttempts.length > 0) await this.deadLetter(outOfAttempts, 'max-attempts', info, durationMs);
    if (outOfTime.length > 0) await this.deadLetter(outOfTime, 'expired', info, durationMs);
    return retrying;
  }

  /** The records of the request that got the 200 (not others of the batch) leave the queue. */
  async #delivered({ result, sent, durationMs }: Delivery): Promise<void> {
    const { state } = this.#ctx;
    // Only the entries that were sent: an id purged and enqueued again meanwhile stays queued.
    const current = this.#stillClaimed(sent);
    const removed = state.remove(current.map((entry) => entry.key));
    await this.#ctx.persist({ delete: removed.map((entry) => entry.key) });
    // Each record's own attempt count (a fresh record may share a batch with a third try).
    let attempts: Map<string, number> | undefined;
    this.#ctx.records.emit('sent', sent, (entry) => {
      attempts ??= new Map(removed.map((gone) => [gone.key, gone.attempts]));
      return { record: entry.record, projectId: entry.projectId, attempt: attempts.get(entry.key) ?? entry.attempts + 1, requestId: result.requestId, durationMs };
    });
  }

  async #failed(entries: OutboxEntry[], error: unknown): Promise<void> {
    if (isRetryable(error) && entries.length === 0) return;
    const current = this.#stillClaimed(entries);
    if (current.length === 0) return;
    const info = toErrorInfo(error);
    if (isApiError(error) && error.kind === 'rejected') {
      await this.#isolateRejected(current, info, this.#ctx.stats.durationOf(error));
      return;
    }
    // Keep the attempt counts and the reason; the records stay pending.
    const kept = current.map((entry): OutboxEntry => ({ ...entry, lastError: info }));
    for (const entry of kept) this.#ctx.state.update(entry);
    await this.#ctx.persist({ put: kept });
    const pauseReason = isApiError(error) ? PAUSE_REASONS[error.kind] : isAuthError(error) ? 'auth' : undefined;
    if (pauseReason) {
      this.#ctx.pause(pauseReason, info);
      return;
    }
    // Not an answer from the service: a fault of ours or of the store. Report it and back off
    // a little, so a persistent fault cannot become a busy loop.
    this.#ctx.events.emit('error', { error: info, during: 'internal' });
    this.#ctx.gate.raise(this.#now() + this.#ctx.options.retry.minDelayMs);
  }

  /** 400/404 on a batch: send halves until the records the service refuses are alone, then dead-letter those. */
  async #isolateRejected(entries: OutboxEntry[], info: ErrorInfo, durationMs: number | undefined): Promise<void> {
    if (entries.length === 1) {
      await this.deadLetter(entries, 'rejected', info, durationMs);
      return;
    }
    const middle = Math.ceil(entries.length / 2);
    for (const half of [entries.slice(0, middle), entries.slice(middle)]) {
      if (!this.#ctx.mayProceed()) return;
      await this.send(half);
    }
  }
}
