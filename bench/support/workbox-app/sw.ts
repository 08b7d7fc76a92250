// The peer of the service-worker-replay bench: workbox-background-sync used the documented way
// ("Advanced usage" of its Queue): the worker's fetch handler sends the page's POST, and when the
// fetch throws (a network error) it queues the request with `queue.pushRequest({ request })`;
// the Queue registers its Background Sync tag and replays on `sync` with its default `onSync`
// (`replayRequests`). A 5xx is a response, not a thrown fetch: workbox does not queue it.
import { Queue } from 'workbox-background-sync';

interface FetchEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}
declare const self: {
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
};

const queue = new Queue('wks-replay');

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'POST') return;
  const bgSyncLogic = async (): Promise<Response> => {
    try {
      return await fetch(event.request.clone());
    } catch {
      await queue.pushRequest({ request: event.request });
      // The documentation returns the error itself, which the page sees as a network error.
      return Response.error();
    }
  };
  event.respondWith(bgSyncLogic());
});
