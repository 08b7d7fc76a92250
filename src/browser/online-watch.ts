import type { Outbox } from '../outbox/outbox.js';

/** Whether the browser says it is offline now (then an outbox should start paused). */
export function isOffline(): boolean {
  return typeof navigator === 'object' && navigator.onLine === false;
}

/**
 * Browsers: pause (`offline`) while `navigator.onLine` is false and drain at once on `online`.
 * Only a pause for being offline is lifted by coming back online. Returns the unwatch function.
 */
export function watchOnline(outbox: Outbox): () => void {
  if (typeof window !== 'object' || typeof window.addEventListener !== 'function' || typeof navigator !== 'object') return () => undefined;
  const onOffline = () => outbox.pause('offline');
  const onOnline = () => {
    if (outbox.pausedReason === 'offline') outbox.resume();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  return () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
  };
}
