/**
 * Resolves after `ms` of real time. Only for showing that something does NOT happen meanwhile
 * (or for giving real I/O a moment): never to wait for something that should happen, which
 * `until()` or an event does without guessing how fast the machine is.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
