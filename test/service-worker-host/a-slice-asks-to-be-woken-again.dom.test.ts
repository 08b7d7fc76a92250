// @vitest-environment happy-dom
// The end of a slice in a worker (the global scope stands in for a service worker's, the store is
// fake-indexeddb, the mock a real server): records still waiting are re-registered for Background
// Sync when the browser allows it; when it refuses (Chromium, with no page open) the `sync`
// event's promise rejects, so that the browser fires it again, except on its last chance; with
// nothing left the event succeeds.
import { afterEach, describe, expect, it } from 'vitest';
import { serveOutbox, type ServedOutbox } from '../../src/service-worker.js';
import { deleteDatabase, uniqueName } from '../helpers/browser-outboxes.js';
import { useMocks } from '../helpers/mock-service.js';
import { makeRecords } from '../helpers/records.js';
import { stubOnLine } from '../helpers/navigator-online.js';

const startMock = useMocks();
const scope = globalThis as unknown as { registration?: unknown };
let served: ServedOutbox | undefined;
let name = '';
afterEach(async () => {
  await served?.close();
  await deleteDatabase(`wks-mail-outbox:${name}`);
  delete scope.registration;
});

/** Fires `type` at the worker's scope as an extendable event; resolves with how its waitUntil promise settled. */
async function fire(type: string, fields: Record<string, unknown> = {}): Promise<'resolved' | 'rejected' | 'no waitUntil'> {
  const waited: Array<Promise<unknown>> = [];
  const event = Object.assign(new Event(type), { waitUntil: (promise: Promise<unknown>) => void waited.push(promise), ...fields });
  globalThis.dispatchEvent(event);
  if (waited.length === 0) return 'no waitUntil';
  return Promise.all(waited).then(
    () => 'resolved',
    () => 'rejected',
  );
}

describe('a slice that ends with records waiting', () => {
  it('re-registers the sync tag where allowed; where refused, fails the sync event unless it is the last chance', { timeout: 30_000 }, async () => {
    const mock = await startMock({ random: { seed: 1, faults: [{ probability: 1, fault: { status: 503 } }] } });
    const registered: string[] = [];
    let allowed = true;
    scope.registration = { sync: { register: async (tag: string) => (allowed ? void registered.push(tag) : Promise.reject(new Error('no window'))) } };
    name = uniqueName('slices');
    served = serveOutbox({ name, endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, sliceMs: 1000, retry: { minDelayMs: 50, maxDelayMs: 100, maxAttempts: 1000 } });
    await served.enqueue(makeRecords(5, 's'));

    expect(await fire('sync', { tag: `wks-mail-outbox:${name}` })).toBe('resolved');
    expect(registered).toEqual([`wks-mail-outbox:${name}`]);
    allowed = false;
    expect(await fire('sync', { tag: `wks-mail-outbox:${name}` })).toBe('rejected');
    expect(await fire('sync', { tag: `wks-mail-outbox:${name}`, lastChance: true })).toBe('resolved');
    expect(await fire('sync', { tag: 'another-app-tag' })).toBe('no waitUntil');
    mock.setRandom(undefined);
    expect(await fire('sync', { tag: `wks-mail-outbox:${name}` })).toBe('resolved');
    expect(new Set(mock.deliveredIds()).size).toBe(5);
    expect(served.getSnapshot().counts.total).toBe(0);
  });

  it("a page's message wakes a slice; other messages are left to the app", async () => {
    const mock = await startMock();
    name = uniqueName('messages');
    served = serveOutbox({ name, endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token } });
    await served.enqueue(makeRecords(3, 'm'));
    expect(await fire('message', { data: { kind: 'app:hello' } })).toBe('no waitUntil');
    expect(await fire('message', { data: { kind: 'wks-mail-outbox:wake', name: 'another-outbox' } })).toBe('no waitUntil');
    expect(await fire('message', { data: { kind: 'wks-mail-outbox:wake', name } })).toBe('resolved');
    expect(new Set(mock.deliveredIds()).size).toBe(3);
  });

  it('offline: the worker pauses, sends nothing, registers its tag for the browser; the sync event (online, even before its online event) sends', async () => {
    const mock = await startMock();
    const registered: string[] = [];
    scope.registration = { sync: { register: async (tag: string) => void registered.push(tag) } };
    let online = true;
    const restore = stubOnLine(() => online);
    try {
      name = uniqueName('offline');
      served = serveOutbox({ name, endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token } });
      await served.enqueue(makeRecords(4, 'o'));
      online = false;
      globalThis.dispatchEvent(new Event('offline'));
      expect(served.pausedReason).toBe('offline');
      expect(await fire('message', { data: { kind: 'wks-mail-outbox:wake', name } })).toBe('resolved');
      expect(mock.requests).toEqual([]);
      expect(registered).toEqual([`wks-mail-outbox:${name}`]);
      // Chromium fires the sync event when the network is back, sometimes before `online` reaches the worker.
      online = true;
      expect(await fire('sync', { tag: `wks-mail-outbox:${name}` })).toBe('resolved');
      expect(new Set(mock.deliveredIds()).size).toBe(4);
    } finally {
      restore();
    }
  });

  it("credentials that failed (the token endpoint unreachable, offline) are tried again at the next wake-up", async () => {
    const mock = await startMock();
    let reachable = false;
    name = uniqueName('token-retry');
    const token = async () => {
      if (!reachable) throw new TypeError('Failed to fetch');
      return mock.token;
    };
    served = serveOutbox({ name, endpoint: mock.url, projectId: mock.projectId, auth: { token } });
    await served.enqueue(makeRecords(3, 'c'));
    expect(await fire('message', { data: { kind: 'wks-mail-outbox:wake', name } })).toBe('resolved');
    expect(served.pausedReason).toBe('auth');
    expect(mock.requests).toEqual([]);
    reachable = true;
    expect(await fire('sync', { tag: `wks-mail-outbox:${name}` })).toBe('resolved');
    expect(new Set(mock.deliveredIds()).size).toBe(3);
  });
});

