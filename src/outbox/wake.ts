/**
 * Lets sleepers be woken early: `wake()` resolves every pending `sleep()`. Used when records
 * arrive, a batch finishes, `flush()` clears backoff, or the outbox closes.
 */
export class Wake {
  #waiters = new Set<() => void>();

  wake(): void {
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const resolve of waiters) resolve();
  }

  /** Resolves at `until` (ms epoch), on `wake()`, or when `signal` aborts; never rejects. */
  sleep(until: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const delay = until - Date.now();
      // Infinity: wait for a wake only (setTimeout would fire at once on an overflow).
      const timer = Number.isFinite(delay) ? setTimeout(done, Math.max(0, Math.min(delay, 2 ** 31 - 1))) : undefined;
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
