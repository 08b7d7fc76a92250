import { sleep } from './sleep.js';

/**
 * Resolves once `condition()` holds (polled on real timers every 5 ms); rejects naming `what`
 * after `timeoutMs`, a deadline generous enough for a machine whose cores are all busy (it
 * only bounds a hang).
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
