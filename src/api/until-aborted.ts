/**
 * `work`'s outcome, or the reason of the first of `signals` to abort, as soon as it does: what
 * `work` gives after that is ignored (and never an unhandled rejection). The listeners are
 * removed when it settles, so a long-lived signal collects none.
 */
export function untilAborted<T>(work: Promise<T>, ...signals: ReadonlyArray<AbortSignal | undefined>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = signals.find((signal) => signal?.aborted);
    if (aborted) {
      work.catch(() => undefined);
      return reject(aborted.reason);
    }
    const listeners = signals.flatMap((signal) => (signal ? [[signal, () => reject(signal.reason)] as const] : []));
    for (const [signal, onAbort] of listeners) signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      for (const [signal, onAbort] of listeners) signal.removeEventListener('abort', onAbort);
    });
  });
}
