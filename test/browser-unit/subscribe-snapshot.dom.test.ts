// @vitest-environment happy-dom
// subscribe() + getSnapshot() for UIs (React's useSyncExternalStore and the like): the snapshot
// is the same object until something changes, counts records by status, lists each record with
// its attempts and next attempt time, and subscribers are told once per batch of changes.
import { describe, expect, it } from 'vitest';
import type { SnapshotRecord } from '../../src/outbox/snapshot.js';
import { useBrowserOutboxes } from '../helpers/browser-outboxes.js';
import { collect, nextEvent } from '../helpers/outbox-events.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';

const { startMock, open } = useBrowserOutboxes();

/** Lets queued microtasks (the batched notifications) and a macrotask run. */
const settle = () => sleep(0);

describe('getSnapshot', () => {
  it('returns the same frozen object until something changes, then a new one', async () => {
    const mock = await startMock();
    const outbox = open(mock, { autoStart: false });
    await outbox.drain(); // waits for the store to load
    const first = outbox.getSnapshot();
    await sleep(20);
    expect(outbox.getSnapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.records)).toBe(true);
    expect(first.counts).toEqual({ pending: 0, sending: 0, retrying: 0, dead: 0, total: 0 });

    await outbox.enqueue(makeRecords(3));
    const second = outbox.getSnapshot();
    expect(second).not.toBe(first);
    expect(outbox.getSnapshot()).toBe(second);
    expect(second.counts).toEqual({ pending: 3, sending: 0, retrying: 0, dead: 0, total: 3 });
    expect(first.counts.total).toBe(0);
  });

  it('counts records by status and lists each with attempts, next attempt time and last error', async () => {
    const mock = await startMock({ poisonIds: ['bad'] });
    const outbox = open(mock, { batchSize: 1 });
    await outbox.enqueue([{ id: 'bad' }]);
    await outbox.drain();
    mock.inject({ status: 503, retryAfter: 30 });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue([{ id: 'first' }, { id: 'second' }]);
    const { retryAt } = await retrying;
    await settle();

    const snapshot = outbox.getSnapshot();
    expect(snapshot.counts).toEqual({ pending: 1, sending: 0, retrying: 1, dead: 1, total: 3 });
    const byId = Object.fromEntries(snapshot.records.map((record) => [record.record.id, record])) as Record<string, SnapshotRecord>;
    expect(byId.first).toMatchObject({ status: 'retrying', attempts: 1, nextAttemptAt: retryAt, lastError: { status: 503, retryAfterMs: 30_000 } });
    expect(byId.first?.nextAttemptAt).toBeGreaterThanOrEqual(Date.now() + 25_000);
    expect(byId.second).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: undefined, lastError: undefined });
    expect(byId.bad).toMatchObject({ status: 'dead', deadReason: 'rejected', attempts: 1, nextAttemptAt: undefined, lastError: { status: 400 } });
    // Pending records oldest first, then the dead-lettered ones.
    expect(snapshot.records.map((record) => record.record.id)).toEqual(['first', 'second', 'bad']);
  });

  it('shows the records of a request in flight as sending', async () => {
    const mock = await startMock({ faults: [{ delayMs: 300 }] });
    const outbox = open(mock, { batchSize: 10 });
    const sending = nextEvent(outbox, 'sending');
    await outbox.enqueue(makeRecords(4));
    // No macrotask between the event and the look (the answer could come in one): the snapshot
    // follows the event at once.
    await sending;
    expect(outbox.getSnapshot().counts).toEqual({ pending: 0, sending: 4, retrying: 0, dead: 0, total: 4 });
    expect(outbox.getSnapshot().records.every((record) => record.status === 'sending')).toBe(true);
    await outbox.drain();
    expect(outbox.getSnapshot().counts.total).toBe(0);
  });

  it('reports the pause reason and the role', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    outbox.pause('auth');
    expect(outbox.getSnapshot().pausedReason).toBe('auth');
    expect(['single', 'leader', 'follower']).toContain(outbox.getSnapshot().role);
    outbox.resume();
    expect(outbox.getSnapshot().pausedReason).toBeUndefined();
  });
});

describe('subscribe', () => {
  it('calls each subscriber once for an enqueue of many records, and not when nothing changed', async () => {
    const mock = await startMock();
    const outbox = open(mock, { autoStart: false });
    await outbox.drain();
    let calls = 0;
    let otherCalls = 0;
    outbox.subscribe(() => calls++);
    outbox.subscribe(() => otherCalls++);

    await outbox.enqueue(makeRecords(20));
    await settle();
    expect(calls).toBe(1);
    expect(otherCalls).toBe(1);

    await sleep(50);
    outbox.getSnapshot();
    expect(calls).toBe(1);
  });

  it('calls subscribers a few times for a batch of 20 sent records, not once per record', async () => {
    const mock = await startMock();
    const outbox = open(mock, { autoStart: false, batchSize: 20 });
    await outbox.enqueue(makeRecords(20));
    await settle();
    const sent = collect(outbox, 'sent');
    const seen: number[] = [];
    outbox.subscribe(() => seen.push(outbox.getSnapshot().counts.total));

    await outbox.drain();
    await settle();

    expect(sent).toHaveLength(20);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(5);
    expect(seen.at(-1)).toBe(0);
  });

  it('the unsubscribe function stops the calls', async () => {
    const mock = await startMock();
    const outbox = open(mock, { autoStart: false });
    await settle(); // let the tab settle its role first: that is a change of its own
    let calls = 0;
    const off = outbox.subscribe(() => calls++);
    await outbox.enqueue([{ id: 'a' }]);
    await settle();
    off();
    await outbox.enqueue([{ id: 'b' }]);
    await settle();
    expect(calls).toBe(1);
  });

  it('works as useSyncExternalStore uses it: every call sees a new snapshot, and between calls it is stable', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 2 });
    const snapshots = [outbox.getSnapshot()];
    outbox.subscribe(() => {
      const next = outbox.getSnapshot();
      expect(next).toBe(outbox.getSnapshot());
      snapshots.push(next);
    });
    await outbox.enqueue(makeRecords(6));
    await outbox.drain();
    await settle();
    expect(new Set(snapshots).size).toBe(snapshots.length);
    expect(snapshots.at(-1)?.counts.total).toBe(0);
  });
});

describe('subscribe and getSnapshot as React passes them: unbound', () => {
  it('work when taken off the object, and are the same functions on every read (no resubscribe per render)', async () => {
    const mock = await startMock();
    const outbox = open(mock, { autoStart: false });
    await outbox.drain();
    // What useSyncExternalStore(outbox.subscribe, outbox.getSnapshot) does with them.
    const { subscribe, getSnapshot } = outbox;
    expect(outbox.subscribe).toBe(subscribe);
    expect(outbox.getSnapshot).toBe(getSnapshot);
    let calls = 0;
    const unsubscribe = subscribe.call(undefined, () => calls++);
    const before = getSnapshot.call(undefined);
    await outbox.enqueue(makeRecords(2));
    await settle();
    expect(calls).toBeGreaterThan(0);
    const after = getSnapshot.call(undefined);
    expect(after).not.toBe(before);
    expect(after.counts.pending).toBe(2);
    unsubscribe();
    const seen = calls;
    await outbox.enqueue(makeRecords(1, 'later'));
    await settle();
    expect(calls).toBe(seen);
  });
});
