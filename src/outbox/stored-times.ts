import type { OutboxEntry } from '../store/entry.js';
import type { Clock } from './clock.js';
import type { RetryOptions } from './options.js';

/**
 * Makes stored times believable. The outbox itself never sets a next-attempt time or an endpoint
 * gate further ahead than `max(retry.maxDelayMs, retry.maxRetryAfterMs)` (the horizon), nor an
 * enqueue time after now; a store may still hold such a time (a clock that was wrong, a
 * hand-edited file, another version's caps), and trusted as it is, one in 2100 would hold the
 * queue, and `maxAgeMs`, for ever. So every stored time is clamped on load and on use: a
 * next-attempt time or gate beyond the horizon to now + horizon, an enqueue time after now to now.
 *
 * The clamp is anchored once: callers keep the clamped value, and pass it back as `previous`
 * when they read the same stored value again, so re-reading a store does not push it further.
 */
export class StoredTimes {
  readonly #clock: Clock;
  readonly #horizonMs: number;

  constructor(clock: Clock, retry: Pick<Required<RetryOptions>, 'maxDelayMs' | 'maxRetryAfterMs'>) {
    this.#clock = clock;
    this.#horizonMs = Math.max(retry.maxDelayMs, retry.maxRetryAfterMs);
  }

  now(): number {
    return this.#clock.now();
  }

  /** The latest next-attempt time or gate that the caps can produce from `now`. */
  latest(now = this.#clock.now()): number {
    return now + this.#horizonMs;
  }

  /**
   * A stored next-attempt time or gate, clamped: as it is when the caps could have produced it,
   * else `previous` (the clamp made of this same value before) if that is earlier, else now + horizon.
   */
  due(stored: number, previous?: number, now = this.#clock.now()): number {
    return believable(stored, this.latest(now), previous);
  }

  /** `entry` with believable times: the same object when they already are, else a clamped copy. */
  entry(entry: OutboxEntry, previous?: OutboxEntry, now = this.#clock.now()): OutboxEntry {
    const same = previous && previous.key === entry.key && previous.seq === entry.seq ? previous : undefined;
    const nextAttemptAt = believable(entry.nextAttemptAt, this.latest(now), same?.nextAttemptAt);
    const enqueuedAt = believable(entry.enqueuedAt, now, same?.enqueuedAt);
    if (nextAttemptAt === entry.nextAttemptAt && enqueuedAt === entry.enqueuedAt) return entry;
    return { ...entry, nextAttemptAt, enqueuedAt };
  }
}

function believable(stored: number, latest: number, previous: number | undefined): number {
  if (stored <= latest) return stored;
  return previous !== undefined && previous < latest ? previous : latest;
}
