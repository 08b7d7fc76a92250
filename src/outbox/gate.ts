import type { StoredTimes } from './stored-times.js';

/**
 * "Nothing goes to this endpoint before T": raised after a retryable failure (and never lowered
 * below a `Retry-After`), persisted by the outbox so that a restart waits too. Also paces
 * request starts when `maxRequestsPerSecond` is set. A gate read from a store, or one the clock
 * has left too far ahead (it was set back), is clamped to the caps (see `StoredTimes`).
 */
export class EndpointGate {
  /** ms epoch before which no new request may start (persisted). */
  notBefore = 0;
  #nextSlotAt = 0;
  readonly #intervalMs: number;
  readonly #times: StoredTimes;
  /** The last stored value adopted, and what it was clamped to: reading it again changes nothing. */
  #adopted: { stored: number; as: number } | undefined;

  constructor(maxRequestsPerSecond: number | undefined, times: StoredTimes) {
    this.#intervalMs = maxRequestsPerSecond ? 1000 / maxRequestsPerSecond : 0;
    this.#times = times;
  }

  /** When the next request may start. */
  openAt(): number {
    const now = this.#times.now();
    this.notBefore = this.#times.due(this.notBefore, undefined, now);
    this.#nextSlotAt = Math.min(this.#nextSlotAt, now + this.#intervalMs);
    return Math.max(this.notBefore, this.#nextSlotAt);
  }

  /** Takes the current slot: call right before a request starts. */
  claimSlot(now: number): void {
    if (this.#intervalMs > 0) this.#nextSlotAt = Math.max(now, this.#nextSlotAt) + this.#intervalMs;
  }

  /** Raises the gate to `until`; returns whether it moved. */
  raise(until: number): boolean {
    if (until <= this.notBefore) return false;
    this.notBefore = until;
    return true;
  }

  /** Raises the gate to what a store holds, clamped to the caps. */
  adopt(stored: number): void {
    const as = this.#times.due(stored, this.#adopted?.stored === stored ? this.#adopted.as : undefined);
    this.#adopted = { stored, as };
    this.raise(as);
  }
}
