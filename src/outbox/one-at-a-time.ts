/**
 * `work`, run one at a time: a call while a run is under way gets one more run after it, shared
 * by every call meanwhile (the run under way may have begun before what the callers want seen).
 */
export function oneAtATime<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let again: Promise<T> | undefined;
  const run = (): Promise<T> => {
    if (running) {
      again ??= running.then(() => {
        again = undefined;
        return run();
      });
      return again;
    }
    running = work().finally(() => (running = undefined));
    return running;
  };
  return run;
}
