// The Web Locks API that happy-dom lacks (its `navigator.locks` is null), for the tab
// coordinator's unit tests. Real Chromium tests (test/tabs) use the real one.

/**
 * A small, faithful Web Locks `LockManager` (exclusive locks only, granted in request order,
 * released when the callback's promise settles), enough for the tab coordinator.
 */
export class InProcessLockManager {
  readonly #queues = new Map<string, Array<() => void>>();
  readonly #held = new Set<string>();

  request<T>(name: string, optionsOrCallback: LockOptions | LockGrantedCallback<T>, maybeCallback?: LockGrantedCallback<T>): Promise<T> {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as LockGrantedCallback<T>;
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    if (options.mode === 'shared') return Promise.reject(new DOMException('shared locks are not modelled', 'NotSupportedError'));
    return new Promise<T>((resolve, reject) => {
      const grant = () => {
        this.#held.add(name);
        Promise.resolve()
          .then(() => callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => this.#release(name));
      };
      if (!this.#held.has(name)) grant();
      else {
        const queue = this.#queues.get(name) ?? [];
        queue.push(grant);
        this.#queues.set(name, queue);
      }
    });
  }

  async query(): Promise<LockManagerSnapshot> {
    return {
      held: [...this.#held].map((name) => ({ name, mode: 'exclusive' as const })),
      pending: [...this.#queues].flatMap(([name, queue]) => queue.map(() => ({ name, mode: 'exclusive' as const }))),
    };
  }

  #release(name: string): void {
    this.#held.delete(name);
    const next = this.#queues.get(name)?.shift();
    if (next) next();
  }
}

/** Gives `navigator` a Web Locks API for one test; returns the function that takes it away again. */
export function installWebLocks(): () => void {
  Object.defineProperty(navigator, 'locks', { value: new InProcessLockManager(), configurable: true });
  return () => {
    delete (navigator as { locks?: unknown }).locks;
  };
}
