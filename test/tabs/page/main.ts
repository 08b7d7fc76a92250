// One tab of the multi-tab tests: the library's browser entry, driven from the test process
// through `window.tabApi`. The mock service's url, project and token come from the query string.
import { createOutbox } from '../../../src/browser.js';
import type { Outbox, OutboxEntry, OutboxEventName } from '../../../src/index.js';
import { IndexedDbStore } from '../../../src/store/IndexedDbStore.js';
import { indexedDbText } from '../../../test-browser/support/read-indexeddb.js';
import type { SeenEvent, TabApi, ThrownError } from './api.js';

const EVENT_NAMES: readonly OutboxEventName[] = [
  'enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error', 'coordination',
];

const query = new URLSearchParams(location.search);
const seen: SeenEvent[] = [];
let outbox: Outbox | undefined;

function current(): Outbox {
  if (!outbox) throw new Error('call tabApi.create() first');
  return outbox;
}

function thrown(error: unknown): ThrownError {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { name?: string } };
  return { name: String(name), message: String(message), causeName: cause?.name };
}

function largeEntry(id: string, seq: number, bytes: number): OutboxEntry {
  const projectId = '0123456789abcdef0123456789abcdef';
  return {
    key: `${projectId}:${id}`,
    record: { id, error_msg: 'q'.repeat(bytes) },
    projectId,
    seq,
    enqueuedAt: Date.now(),
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
  };
}

const api: TabApi = {
  create(options) {
    outbox = createOutbox({
      endpoint: query.get('url') ?? '',
      projectId: query.get('projectId') ?? '',
      auth: { token: query.get('token') ?? '' },
      ...options,
    });
    for (const name of EVENT_NAMES) {
      current().on(name, (event) => seen.push({ name, at: Date.now(), event } as SeenEvent));
    }
  },
  async enqueue(ids, extra = {}) {
    try {
      const result = await current().enqueue(ids.map((id) => ({ id, ...extra })));
      return { added: result.added.length };
    } catch (error) {
      return { error: thrown(error) };
    }
  },
  async enqueueOneByOne(ids) {
    let added = 0;
    for (const id of ids) added += (await current().enqueue({ id })).added.length;
    return added;
  },
  drain: () => current().drain(),
  flush: () => current().flush(),
  pause: (reason) => current().pause(reason),
  events: (name) => (name === undefined ? [...seen] : seen.filter((event) => event.name === name)),
  count: (name) => seen.reduce((total, event) => total + (event.name === name ? 1 : 0), 0),
  role: () => current().getSnapshot().role,
  snapshot: () => current().getSnapshot(),
  pending: () => current().pending(),
  indexedDbText: () => indexedDbText(),
  async putManyLarge(name, count, bytes) {
    const store = new IndexedDbStore({ name });
    try {
      const entries = Array.from({ length: count }, (_, index) => largeEntry(`large-${index}`, index + 1, index === 0 ? 10 : bytes));
      const error = await store.putMany(entries).then(
        () => undefined,
        (caught: unknown) => thrown(caught),
      );
      const storedIds = (await store.load()).entries.map((entry) => entry.record.id);
      return { error, storedIds };
    } finally {
      await store.close();
    }
  },
  async close() {
    await outbox?.close();
    outbox = undefined;
  },
};

window.tabApi = api;
