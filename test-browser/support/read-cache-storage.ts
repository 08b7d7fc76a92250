// Reads back everything this origin keeps in Cache Storage, as text (every cache, every request
// URL and response body), for the tests that search the browser's stores for secrets.
// Browser-only (a page or a worker).

/** Every cached request's URL and response body, one per line. */
export async function cacheStorageText(): Promise<string> {
  const parts: string[] = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) parts.push(request.url, await ((await cache.match(request))?.text() ?? ''));
  }
  return parts.join('\n');
}
