/**
 * A clock for the outbox's `now` option that moves only when the test moves it: what is due at
 * or before `now()` happens, what is later never does until `advance()`. The outbox waits on
 * real timers computed from this clock and looks at it again when they fire, so after an
 * `advance()` it acts within the (real) length of the wait it was in.
 */
export class ManualClock {
  #now: number;

  /** @param start ms epoch; default 2030-01-01, far from the machine's own clock on purpose. */
  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  /** Pass this as `options.now`. */
  readonly now = (): number => this.#now;

  advance(ms: number): void {
    this.#now += ms;
  }

  /**
   * Makes the clock follow real time in steps of `everyMs`, from a timer of its own: it keeps
   * pace with the machine, yet never moves while the outbox runs a step (a synchronous stretch
   * with its microtasks), so what a listener reads is exactly the time the outbox decided with.
   * Returns the function that stops it.
   */
  followRealTime(everyMs = 5): () => void {
    const startedAt = performance.now();
    const base = this.#now;
    const timer = setInterval(() => this.advanceTo(base + Math.round(performance.now() - startedAt)), everyMs);
    return () => clearInterval(timer);
  }

  /** Moves the clock to `time`, if that is ahead (a clock never goes back here). */
  advanceTo(time: number): void {
    this.#now = Math.max(this.#now, time);
  }
}

/** 2100-01-01: a time no cap of the outbox could have produced (a wrong clock, a hand-edited file). */
export const YEAR_2100 = Date.UTC(2100, 0, 1);
