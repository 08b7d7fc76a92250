/**
 * `promise`, or a rejection naming `what` after `ms`: a hang fails with a clear message before
 * the test timeout. The default is generous (a busy machine must not fail a test that only waits).
 */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still unsettled after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
