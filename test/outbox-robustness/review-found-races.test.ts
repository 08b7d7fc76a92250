// Races a code review found (each was reproduced against the real code before it was fixed):
// what the outbox reports as sent is what the service got, a re-enqueued id is a new record,
// one failed store call does not fail unrelated writes, and a token provider that never answers
// does not hold the outbox. Ages and waits are on an injected clock or follow events, never on
// how fast the machine happens to be.
import { afterEach, expect, it } from 'vitest';
import { createOutbox, MemoryStore, type Outbox, type OutboxEntry, type QueueStore } from '../../src/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { useMocks } from '../helpers/mock-service.js';
import { nextEvent } from '../helpers/outbox-events.js';
import { within } from '../helpers/within.js';

// Registered before the cleanups below, so the mocks close after the outboxes.
const startMock = useMocks();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function track(outbox: Outbox): Outbox {
  cleanups.push(() => outbox.close());
  return outbox;
}

it('after a 401 and a fresh token, only the records of the request that got the 200 are reported sent (one expired meanwhile stays dead)', async () => {
  // On the outbox's clock: A is enqueued at 0 and B at 250; the 401 comes at 250, and pacing
  // (4 per second) holds the retry with a fresh token until 500, when A (400 ms at most) is too old.
  const clock = new ManualClock();
  const mock = await startMock({ faults: [{ status: 401, times: 1 }] });
  const store = new MemoryStore();
  const outbox = track(
    createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: () => mock.token }, store, maxAgeMs: 400, maxRequestsPerSecond: 4, now: clock.now }),
  );
  const sent: string[] = [];
  outbox.on('sent', (event) => sent.push(event.record.id));
  await outbox.enqueue({ id: 'A' });
  clock.advance(250);
  await outbox.enqueue({ id: 'B' });

  const refused = nextEvent(outbox, 'sending');
  const drained = outbox.drain();
  await refused;
  clock.advance(250);
  expect(await within(drained, 'drain()')).toEqual({ sent: 1, failed: 1, pending: 0 });
  expect(mock.deliveredIds()).toEqual(['B']);
  expect(sent).toEqual(['B']);
  expect((await outbox.dead()).map((entry) => [entry.record.id, entry.deadReason])).toEqual([['A', 'expired']]);
  expect((await store.load()).entries.map((entry) => entry.record.id)).toEqual(['A']);
});

it('an id purged and enqueued again while its old batch is in flight is a new record: it stays queued and is sent', async () => {
  const mock = await startMock({});
  // The first request is held until the test has purged and enqueued again: in flight for sure.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const holdingFetch: typeof fetch = async (input, init) => {
    await held;
    return fetch(input, init);
  };
  const outbox = track(createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, fetch: holdingFetch }));
  await outbox.enqueue({ id: 'x', account: 'old' });
  const inFlight = nextEvent(outbox, 'sending');
  const drained = outbox.drain();
  await inFlight;
  expect(await outbox.purge(['x'])).toBe(1);
  expect(await outbox.enqueue({ id: 'x', account: 'new' })).toEqual({ added: [{ id: 'x', account: 'new' }], coalesced: [] });
  release();
  await drained;
  await outbox.drain();
  expect(mock.requests.map((request) => request.records?.[0]?.account)).toEqual(['old', 'new']);
  expect(await outbox.pending()).toEqual([]);
});

it('one failed store call fails only the writes that needed it: an enqueue written in the same round still resolves', async () => {
  const mock = await startMock({ poisonIds: ['bad'] });
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
  const mock = await startMock({});
  const outbox = createOutbox({
    endpoint: mock.url,
    projectId: mock.projectId,
    auth: { token: () => new Promise<string>(() => undefined) },
    requestTimeoutMs: 200,
    retry: { minDelayMs: 50, jitter: 0 },
  });
  const retrying: string[] = [];
  outbox.on('retrying', (event) => retrying.push(event.error.name));
  const retried = nextEvent(outbox, 'retrying');
  await outbox.enqueue({ id: 'a' });
  outbox.start();
  await within(retried, 'a retry after the token provider timed out');
  expect(retrying[0]).toBe('TimeoutError');
  // Another wait for the provider may be under way: close() gets it over with within its 200 ms.
  await within(outbox.close(), 'close()');
  expect(mock.requests).toEqual([]);
});
