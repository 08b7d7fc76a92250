/**
 * "Nothing goes to this endpoint before T": raised after a retryable failure (and never lowered
 * below a `Retry-After`), persisted by the outbox so that a restart waits too. Also paces
 * request starts when `maxRequestsPerSecond` is set.
 */
export class EndpointGate {
  /** ms epoch before which no new request may start (persisted). */
  notBefore = 0;
  #nextSlotAt = 0;
  readonly #intervalMs: number;

  constructor(maxRequestsPerSecond: number | undefined) {
    this.#intervalMs = maxRequestsPerSecond ? 1000 / maxRequestsPerSecond : 0;
  }

  /** When the next request may start. */
  openAt(): number {
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
}
