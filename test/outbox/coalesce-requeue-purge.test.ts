// One record id, one entry: enqueueing an id that is already pending (same project) is
// coalesced, also when the enqueues race; a dead id enqueued again is revived. Dead records can
// be requeued (attempts reset) and are then delivered; purge() drops dead records, purge(ids)
// drops those ids whether pending or dead, and a purged record is never sent.
import { describe, expect, it } from 'vitest';
import { entryKey, MemoryStore } from '../../src/index.js';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { duplicates, makeRecords } from '../helpers/records.js';
import { within } from '../helpers/within.js';

const OTHER_PROJECT = 'f'.repeat(32);

describe('enqueue of an id that is already queued', () => {
  const { startMock, open } = useOutboxes();

  it('is coalesced while pending: reported in `coalesced`, announced once, delivered once, the queued version stands', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const events = recordEvents(outbox);
    await outbox.enqueue([{ id: 'a', account: 'first' }, { id: 'b' }]);

    const again = await outbox.enqueue([{ id: 'a', account: 'second' }, { id: 'c' }]);

    expect(again).toEqual({ added: [{ id: 'c' }], coalesced: [{ id: 'a', account: 'second' }] });
    expect(events.enqueued.map(({ event }) => event.record.id)).toEqual(['a', 'b', 'c']);
    expect((await outbox.pending()).map((entry) => entry.record)).toEqual([{ id: 'a', account: 'first' }, { id: 'b' }, { id: 'c' }]);
    await outbox.drain();
    expect(mock.deliveredIds()).toEqual(['a', 'b', 'c']);
    expect(sends(mock)[0]?.records?.[0]).toEqual({ id: 'a', account: 'first' });
  });

  it('is coalesced when enqueues of the same id race, and within one call', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const events = recordEvents(outbox);

    const results = await Promise.all([
      outbox.enqueue({ id: 'x' }),
      outbox.enqueue({ id: 'x' }),
      outbox.enqueue([{ id: 'x' }, { id: 'x' }]),
    ]);

    expect(results.flatMap((result) => result.added)).toEqual([{ id: 'x' }]);
    expect(results.flatMap((result) => result.coalesced)).toHaveLength(3);
    expect(events.enqueued).toHaveLength(1);
    expect(await outbox.pending()).toHaveLength(1);
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['x']);
  });

  it('is coalesced while its batch is in flight, so the record is not sent twice', async () => {
    const mock = await startMock({ latencyMs: 100 });
    const outbox = open(mock);
    const sending = nextEvent(outbox, 'sending');
    await outbox.enqueue({ id: 'flying' });
    const drained = outbox.drain();
    await sending;

    expect(await within(outbox.enqueue({ id: 'flying' }), 'the second enqueue')).toEqual({ added: [], coalesced: [{ id: 'flying' }] });
    expect(await within(drained, 'the drain')).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['flying']);
  });

  it('leaves the outbox working when every record of the call was coalesced: later records are stored and delivered', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue({ id: 'a' });
    expect(await within(outbox.enqueue({ id: 'a' }), 'an enqueue of only coalesced records')).toEqual({ added: [], coalesced: [{ id: 'a' }] });

    expect(await within(outbox.enqueue({ id: 'b' }), 'the next enqueue')).toEqual({ added: [{ id: 'b' }], coalesced: [] });
    expect(await within(outbox.drain(), 'the drain')).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['a', 'b']);
  });

  it('is not coalesced across projects: the same id in another project is another record', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue({ id: 'shared' });

    expect(await outbox.enqueue({ id: 'shared' }, { projectId: OTHER_PROJECT })).toEqual({ added: [{ id: 'shared' }], coalesced: [] });
    expect((await outbox.pending()).map((entry) => entry.projectId).sort()).toEqual([mock.projectId, OTHER_PROJECT].sort());
  });

  it('revives a dead-lettered record: stored as pending again with attempts reset, then delivered', async () => {
    const mock = await startMock({ faults: [{ status: 400 }] });
    const outbox = open(mock);
    const events = recordEvents(outbox);
    await outbox.enqueue({ id: 'phoenix' });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });

    expect(await outbox.enqueue({ id: 'phoenix' })).toEqual({ added: [{ id: 'phoenix' }], coalesced: [] });

    expect(await outbox.dead()).toEqual([]);
    const pending = await outbox.pending();
    expect(pending.map((entry) => [entry.record.id, entry.state, entry.attempts, entry.deadReason])).toEqual([['phoenix', 'pending', 0, undefined]]);
    expect(events.enqueued).toHaveLength(2);
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['phoenix']);
  });
});

describe('requeue', () => {
  const { startMock, open } = useOutboxes();

  /** An outbox whose records x, y, z were each refused once (400) and dead-lettered. */
  async function withThreeDead() {
    const mock = await startMock({ faults: [{ status: 400, times: 3 }] });
    const outbox = open(mock, { batchSize: 1 });
    await outbox.enqueue([{ id: 'x' }, { id: 'y' }, { id: 'z' }]);
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 3, pending: 0 });
    return { mock, outbox };
  }

  it('requeue() revives every dead record with attempts reset, and they are delivered', async () => {
    const { mock, outbox } = await withThreeDead();
    const events = recordEvents(outbox);

    expect(await outbox.requeue()).toBe(3);

    expect(await outbox.dead()).toEqual([]);
    const pending = await outbox.pending();
    expect(pending.map((entry) => [entry.record.id, entry.state, entry.attempts, entry.nextAttemptAt, entry.deadReason])).toEqual([
      ['x', 'pending', 0, 0, undefined],
      ['y', 'pending', 0, 0, undefined],
      ['z', 'pending', 0, 0, undefined],
    ]);
    expect(await outbox.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['x', 'y', 'z']);
    expect(events.sent.map(({ event }) => event.attempt)).toEqual([1, 1, 1]);
  });

  it('requeue(ids) revives only those ids', async () => {
    const { mock, outbox } = await withThreeDead();

    expect(await outbox.requeue(['y', 'not-there'])).toBe(1);

    expect((await outbox.dead()).map((entry) => entry.record.id)).toEqual(['x', 'z']);
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['y']);
  });

  it('with nothing dead returns 0 and leaves the outbox working', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue({ id: 'a' });

    expect(await within(outbox.requeue(), 'requeue() with nothing dead')).toBe(0);
    expect(await within(outbox.requeue(['nobody']), 'requeue(ids) matching nothing')).toBe(0);

    expect(await within(outbox.enqueue({ id: 'b' }), 'the next enqueue')).toEqual({ added: [{ id: 'b' }], coalesced: [] });
    expect(await within(outbox.drain(), 'the drain')).toEqual({ sent: 2, failed: 0, pending: 0 });
  });

  it('gives a record that had expired a new lease of life: requeued, it is delivered, not expired again', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    await store.putMany([
      {
        key: entryKey(mock.projectId, 'late'),
        record: { id: 'late' },
        projectId: mock.projectId,
        seq: 1,
        enqueuedAt: Date.now() - 60_000,
        attempts: 0,
        nextAttemptAt: 0,
        state: 'pending',
      },
    ]);
    const outbox = open(mock, { store, maxAgeMs: 30_000 });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
    expect((await outbox.dead())[0]?.deadReason).toBe('expired');

    expect(await outbox.requeue(['late'])).toBe(1);

    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['late']);
  });
});

describe('purge', () => {
  const { startMock, open } = useOutboxes();

  /** Dead: x, y (refused once each). Pending, never sent: p, q. */
  async function withDeadAndPending() {
    const mock = await startMock({ faults: [{ status: 400, times: 2 }] });
    const outbox = open(mock, { batchSize: 1 });
    await outbox.enqueue([{ id: 'x' }, { id: 'y' }]);
    await outbox.drain();
    await outbox.enqueue([{ id: 'p' }, { id: 'q' }]); // no drain: they stay pending
    return { mock, outbox };
  }

  it('purge() removes the dead records only', async () => {
    const { outbox } = await withDeadAndPending();

    expect(await outbox.purge()).toBe(2);

    expect(await outbox.dead()).toEqual([]);
    expect((await outbox.pending()).map((entry) => entry.record.id)).toEqual(['p', 'q']);
  });

  it('purge(ids) removes those ids whether pending or dead, and a purged pending record is never sent', async () => {
    const { mock, outbox } = await withDeadAndPending();

    expect(await outbox.purge(['p', 'x', 'not-there'])).toBe(2);

    expect((await outbox.dead()).map((entry) => entry.record.id)).toEqual(['y']);
    expect((await outbox.pending()).map((entry) => entry.record.id)).toEqual(['q']);
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['q']);
    expect(sends(mock).flatMap(idsOf)).not.toContain('p');
  });

  it('with nothing to purge returns 0 and leaves the outbox working', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue({ id: 'a' });

    expect(await within(outbox.purge(), 'purge() with nothing dead')).toBe(0);
    expect(await within(outbox.purge(['nobody']), 'purge(ids) matching nothing')).toBe(0);

    expect(await within(outbox.enqueue({ id: 'b' }), 'the next enqueue')).toEqual({ added: [{ id: 'b' }], coalesced: [] });
    expect(await within(outbox.drain(), 'the drain')).toEqual({ sent: 2, failed: 0, pending: 0 });
  });

  it('a record purged during its backoff is not sent again, and the drain ends without it', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 0.3 }] });
    const outbox = open(mock, { batchSize: 2 });
    const events = recordEvents(outbox);
    await outbox.enqueue([{ id: 'keep' }, { id: 'drop' }]);
    const retrying = nextEvent(outbox, 'retrying');
    const drained = outbox.drain();
    await retrying;

    expect(await outbox.purge(['drop'])).toBe(1);

    expect(await drained).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(sends(mock).map(idsOf)).toEqual([['keep', 'drop'], ['keep']]);
    expect(mock.deliveredIds()).toEqual(['keep']);
    expect(events.sent.map(({ event }) => event.record.id)).toEqual(['keep']);
    expect(await outbox.dead()).toEqual([]);
  });

  it('a purged record is gone from the store, so a restarted outbox does not send it either', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    const first = open(mock, { store });
    await first.enqueue(makeRecords(3));
    await first.purge(['r1']);
    await first.close();

    const second = open(mock, { store });
    expect(await second.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(duplicates(mock.deliveredIds())).toEqual([]);
    expect(mock.deliveredIds()).toEqual(['r0', 'r2']);
  });
});
