/** Makes `navigator.onLine` answer `online()` until the returned function restores it. */
export function stubOnLine(online: () => boolean): () => void {
  Object.defineProperty(navigator, 'onLine', { get: online, configurable: true });
  return () => {
    delete (navigator as { onLine?: unknown }).onLine;
  };
}
