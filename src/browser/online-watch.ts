import type { Outbox } from '../outbox/outbox.js';

/** Whether the browser says it is offline now (then an outbox should start paused). */
export function isOffline(): boolean {
  return typeof navigator === 'object' && navigator.onLine === false;
}

/**
 * Browsers (pages and workers): pause (`offline`) while `navigator.onLine` is false and drain at once on `online`.
 * Only a pause for being offline is lifted by coming back online. Returns the unwatch function.
 */
export function watchOnline(outbox: Pick<Outbox, 'pause' | 'resume' | 'pausedReason'>): () => void {
  // A window, or a worker's global scope (a service worker hears `online` and `offline` too).
  const scope = globalThis as unknown as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
  if (typeof scope.addEventListener !== 'function' || typeof scope.removeEventListener !== 'function' || typeof navigator !== 'object') return () => undefined;
  const onOffline = () => outbox.pause('offline');
  const onOnline = () => {
    if (outbox.pausedReason === 'offline') outbox.resume();
  };
  scope.addEventListener('offline', onOffline);
  scope.addEventListener('online', onOnline);
  return () => {
    scope.removeEventListener?.('offline', onOffline);
    scope.removeEventListener?.('online', onOnline);
  };
}
