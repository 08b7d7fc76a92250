/**
 * The outbox's one source of the time. Every time the engine reads or writes (enqueue times,
 * next-attempt times, the endpoint gate, expiry, how long to sleep) comes from here, so a test
 * or a simulation can run the outbox on a clock of its own (`options.now`).
 */
export interface Clock {
  /** ms epoch, always finite. */
  now(): number;
}

/**
 * The clock of `options.now`, or the machine's (`Date.now()`, read at each call so that fake
 * timers installed later are seen). A `now` that returns something other than a finite number
 * fails loudly instead of poisoning the stored times.
 */
export function clockFrom(now: (() => number) | undefined): Clock {
  if (now === undefined) return { now: () => Date.now() };
  return {
    now: () => {
      const time = now();
      if (typeof time !== 'number' || !Number.isFinite(time)) throw new TypeError(`options.now() must return a finite number of ms, got ${String(time)}`);
      return time;
    },
  };
}
