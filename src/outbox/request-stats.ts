import { isApiError } from '../errors/ApiError.js';
import { isNetworkError } from '../errors/NetworkError.js';
import { isProtocolError } from '../errors/ProtocolError.js';
import { isTimeoutError } from '../errors/TimeoutError.js';
import type { Clock } from './clock.js';

/** How a request ended, for `stats().answers`: an HTTP status, `2xx`, or why there was no answer. */
function outcomeOf(error: unknown): string {
  if (isApiError(error)) return String(error.status);
  if (isTimeoutError(error)) return 'timeout';
  if (isNetworkError(error)) return 'network';
  if (isProtocolError(error)) return 'protocol';
  return 'other';
}

/**
 * What this instance's requests did: how many, how each ended, when the last one ended, and how
 * long each took (on the outbox's clock), for `stats()` and the `durationMs` of events.
 */
export class RequestStats {
  requests = 0;
  /** Answers by status (`2xx`, `503`, …) and failures without one (`network`, `timeout`, `protocol`). */
  readonly answers: Record<string, number> = {};
  lastRequestAt: number | undefined;
  readonly #clock: Clock;
  /** How long the request that failed with an error took, for the events that report that error. */
  readonly #durations = new WeakMap<object, number>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs one request and counts it; resolves its value and how long it took. */
  async measure<T>(request: () => Promise<T>): Promise<{ value: T; durationMs: number }> {
    const start = this.#clock.now();
    let outcome = '2xx';
    try {
      const value = await request();
      return { value, durationMs: this.#end(start, outcome) };
    } catch (error) {
      outcome = outcomeOf(error);
      const durationMs = this.#end(start, outcome);
      if (error !== null && typeof error === 'object') this.#durations.set(error, durationMs);
      throw error;
    }
  }

  /** How long the request that threw `error` took; undefined when no request did. */
  durationOf(error: unknown): number | undefined {
    return error !== null && typeof error === 'object' ? this.#durations.get(error) : undefined;
  }

  #end(start: number, outcome: string): number {
    const end = this.#clock.now();
    this.requests++;
    this.answers[outcome] = (this.answers[outcome] ?? 0) + 1;
    this.lastRequestAt = end;
    return Math.max(0, end - start);
  }
}
