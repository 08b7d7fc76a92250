import type { Outbox } from '../outbox/outbox.js';

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
  if (navigator.onLine === false) onOffline();
  return () => {
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
  };
}
