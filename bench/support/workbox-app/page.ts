// The page of the workbox app (bench/cases/service-worker-replay.ts), driven through
// `window.wbApi`: registers the worker, POSTs `{ records }` to the send URL with `X-Auth-Token`
// (the token asked from the app's `/token` and kept in memory, never in the page's URL), and lists the records the
// workbox Queue holds. The send URL and the project come from the page's query string.
const query = new URLSearchParams(location.search);
/** The session's token, in this page's memory only (asked from the app once, when the worker is registered). */
let token = '';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

const api = {
  /** Asks the app for the token, registers the worker and waits until it controls this page. */
  async register(): Promise<void> {
    token = await (await fetch('/token', { cache: 'no-store' })).text();
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  },
  /** One POST of `ids` as records: its status, or 'network-error' (what the worker answers when it queued it). */
  async post(ids: string[]): Promise<number | 'network-error'> {
    const url = `${query.get('url') ?? ''}/v1/${query.get('projectId') ?? ''}/mails/actions/send`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
        body: JSON.stringify({ records: ids.map((id) => ({ id })) }),
      });
      return response.status;
    } catch {
      return 'network-error';
    }
  },
  /** Ids of the records in the requests workbox's queue holds (its database `workbox-background-sync`). */
  async queuedIds(): Promise<string[]> {
    const names = (await indexedDB.databases()).map((info) => info.name);
    if (!names.includes('workbox-background-sync')) return [];
    const db = await request(indexedDB.open('workbox-background-sync'));
    try {
      if (!db.objectStoreNames.contains('requests')) return [];
      const entries = (await request(db.transaction('requests', 'readonly').objectStore('requests').getAll())) as Array<{ requestData: { body?: ArrayBuffer } }>;
      const idsOf = (body: ArrayBuffer | undefined) => (JSON.parse(new TextDecoder().decode(body)) as { records: Array<{ id: string }> }).records.map((record) => record.id);
      return entries.flatMap((entry) => idsOf(entry.requestData.body));
    } finally {
      db.close();
    }
  },
};

export type WorkboxApi = typeof api;
(window as unknown as { wbApi: WorkboxApi }).wbApi = api;
