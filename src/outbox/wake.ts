import { MAX_TIMEOUT_MS } from '../api/request.js';
import type { Clock } from './clock.js';

/**
 * Lets sleepers be woken early: `wake()` resolves every pending `sleep()`. Used when records
 * arrive, a batch finishes, `flush()` clears backoff, or the outbox closes.
 *
 * Sleeps are measured on the outbox's clock but waited out on real timers, and a sleep may end
 * before its time: every caller loops, looks at the clock again and sleeps again if it must. So
 * a clock that moved less than real time (a test's), or was set back, costs another round
 * computed afresh (with the stored times clamped again), never a wait for a time that no longer
 * makes sense; and a test that advances an injected clock sees the outbox act within the real
 * length of the wait it was in.
 */
export class Wake {
  readonly #clock: Clock;
  #waiters = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const resolve of waiters) resolve();
  }

  /**
   * Resolves after `until - now()` ms of real time (at once if that is not positive), on
   * `wake()`, or when `signal` aborts; never rejects. `until` Infinity: only a wake ends it.
   */
  sleep(until: number, signal?: AbortSignal): Promise<void> {
    return this.pause(until - this.#clock.now(), signal);
  }

  /** Resolves after `ms` of real time, on `wake()`, or when `signal` aborts; never rejects. */
  pause(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || !(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      // Infinity: wait for a wake only (setTimeout would fire at once on an overflow).
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, MAX_TIMEOUT_MS)) : undefined;
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
