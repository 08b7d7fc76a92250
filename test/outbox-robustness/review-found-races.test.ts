// Races a code review found (each was reproduced against the real code before it was fixed):
// what the outbox reports as sent is what the service got, a re-enqueued id is a new record,
// one failed store call does not fail unrelated writes, and a token provider that never answers
// does not hold the outbox.
import { afterEach, expect, it } from 'vitest';
import { createOutbox, MemoryStore, type Outbox, type OutboxEntry, type QueueStore } from '../../src/index.js';
import { startMockWorkspace, type MockWorkspace } from '../../src/mock-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function mockWith(options: Parameters<typeof startMockWorkspace>[0]): Promise<MockWorkspace> {
  const mock = await startMockWorkspace(options);
  cleanups.push(() => mock.close());
  return mock;
}
function track(outbox: Outbox): Outbox {
  cleanups.push(() => outbox.close());
  return outbox;
}

it('after a 401 and a fresh token, only the records of the request that got the 200 are reported sent (one expired meanwhile stays dead)', async () => {
  const mock = await mockWith({ faults: [{ status: 401, times: 1 }] });
  const store = new MemoryStore();
  const outbox = track(
    createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: () => mock.token }, store, maxAgeMs: 400, maxRequestsPerSecond: 4 }),
  );
  const sent: string[] = [];
  outbox.on('sent', (event) => sent.push(event.record.id));
  await outbox.enqueue({ id: 'A' });
  await new Promise((resolve) => setTimeout(resolve, 250));
  await outbox.enqueue({ id: 'B' });

  expect(await outbox.drain()).toEqual({ sent: 1, failed: 1, pending: 0 });
  expect(mock.deliveredIds()).toEqual(['B']);
  expect(sent).toEqual(['B']);
  expect((await outbox.dead()).map((entry) => [entry.record.id, entry.deadReason])).toEqual([['A', 'expired']]);
  expect((await store.load()).entries.map((entry) => entry.record.id)).toEqual(['A']);
});

it('an id purged and enqueued again while its old batch is in flight is a new record: it stays queued and is sent', async () => {
  const mock = await mockWith({ latencyMs: 300 });
  const outbox = track(createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token } }));
  await outbox.enqueue({ id: 'x', account: 'old' });
  const drained = outbox.drain();
  await new Promise((resolve) => setTimeout(resolve, 100)); // the request is in flight
  expect(await outbox.purge(['x'])).toBe(1);
  expect(await outbox.enqueue({ id: 'x', account: 'new' })).toEqual({ added: [{ id: 'x', account: 'new' }], coalesced: [] });
  await drained;
  await outbox.drain();
  expect(mock.requests.map((request) => request.records?.[0]?.account)).toEqual(['old', 'new']);
  expect(await outbox.pending()).toEqual([]);
});

it('one failed store call fails only the writes that needed it: an enqueue written in the same round still resolves', async () => {
  const mock = await mockWith({ poisonIds: ['bad'] });
  const inner = new MemoryStore();
  let failNextDelete = false;
  const store: QueueStore = {
    load: () => inner.load(),
    putMany: (entries: readonly OutboxEntry[]) => inner.putMany(entries),
    setMeta: (meta) => inner.setMeta(meta),
    close: () => inner.close(),
    async deleteMany(keys) {
      if (failNextDelete) {
        failNextDelete = false;
        throw new Error('EIO');
      }
      return inner.deleteMany(keys);
    },
  };
  const outbox = track(createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store }));
  await outbox.enqueue({ id: 'bad' });
  await outbox.drain(); // 'bad' is dead-lettered
  failNextDelete = true;
  const [purged, enqueued] = await Promise.allSettled([outbox.purge(['bad']), outbox.enqueue({ id: 'c' })]);
  expect(purged.status).toBe('rejected');
  expect(enqueued.status).toBe('fulfilled');
  expect((await outbox.pending()).map((entry) => entry.record.id)).toEqual(['c']);
  expect((await inner.load()).entries.map((entry) => `${entry.record.id}:${entry.state}`).sort()).toEqual(['bad:dead', 'c:pending']);
});

it('a token provider that never answers gets requestTimeoutMs, is retried with backoff, and close() still returns', async () => {
  const mock = await mockWith({});
  const outbox = createOutbox({
    endpoint: mock.url,
    projectId: mock.projectId,
    auth: { token: () => new Promise<string>(() => undefined) },
    requestTimeoutMs: 200,
    retry: { minDelayMs: 50, jitter: 0 },
  });
  const retrying: string[] = [];
  outbox.on('retrying', (event) => retrying.push(event.error.name));
  await outbox.enqueue({ id: 'a' });
  outbox.start();
  await new Promise((resolve) => setTimeout(resolve, 700));
  expect(retrying[0]).toBe('TimeoutError');
  const closing = outbox.close();
  const closedInTime = await Promise.race([closing.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 2000))]);
  expect(closedInTime).toBe(true);
  expect(mock.requests).toEqual([]);
});
