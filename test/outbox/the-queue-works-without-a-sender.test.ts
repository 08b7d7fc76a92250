// The queue over a store, with no endpoint, no credentials and no sender (what the CLI's status,
// dead, requeue and purge use): it adds with coalescing, lists, requeues and purges, writes all
// or nothing, and sees what another instance wrote to the same store.
import { describe, expect, it } from 'vitest';
import { MemoryStore, StoreError } from '../../src/index.js';
import { Queue } from '../../src/outbox/queue.js';
import { bareEntry } from '../../src/testing.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const mails = (...ids: string[]) => ids.map((id) => ({ id }));

/** A MemoryStore whose writes fail while `failing` is set. */
class FlakyStore extends MemoryStore {
  failing = false;
  override async putMany(entries: Parameters<MemoryStore['putMany']>[0]): Promise<void> {
    if (this.failing) throw new Error('disk on fire');
    return super.putMany(entries);
  }
  override async deleteMany(keys: readonly string[]): Promise<void> {
    if (this.failing) throw new Error('disk on fire');
    return super.deleteMany(keys);
  }
}

describe('the queue alone', () => {
  it('adds records, coalescing an id already pending, and lists them oldest first', async () => {
    const queue = new Queue({ store: new MemoryStore() });
    const first = await queue.add(mails('a', 'b', 'a'), PROJECT, undefined);
    const second = await queue.add(mails('b', 'c'), PROJECT, 'en-us');

    expect(first.added.map((entry) => entry.record.id)).toEqual(['a', 'b']);
    expect(first.coalesced).toEqual([{ id: 'a' }]);
    expect(second.coalesced).toEqual([{ id: 'b' }]);
    expect((await queue.pending()).map((entry) => [entry.record.id, entry.language ?? null])).toEqual([
      ['a', null],
      ['b', null],
      ['c', 'en-us'],
    ]);
  });

  it('requeues dead entries (attempts and age reset) and purges what it is told', async () => {
    const store = new MemoryStore();
    await store.putMany([
      bareEntry('dead-1', { state: 'dead', deadReason: 'rejected', attempts: 4, seq: 1 }),
      bareEntry('dead-2', { state: 'dead', deadReason: 'expired', attempts: 2, seq: 2 }),
      bareEntry('live', { seq: 3 }),
    ]);
    const queue = new Queue({ store });

    expect(await queue.requeue(['dead-1'])).toBe(1);
    const revived = (await queue.pending()).find((entry) => entry.record.id === 'dead-1');
    expect(revived).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 0 });
    expect(revived?.enqueuedAt).toBeGreaterThan(1_700_000_000_000);
    expect(await queue.purge()).toBe(1); // every dead one: dead-2
    expect(await queue.purge(['live'])).toBe(1); // a named one, pending or not
    expect((await queue.pending()).map((entry) => entry.record.id)).toEqual(['dead-1']);
    expect(await queue.dead()).toEqual([]);
    // And the store agrees: a fresh queue over it reads the same.
    expect((await new Queue({ store }).pending()).map((entry) => entry.record.id)).toEqual(['dead-1']);
  });

  it('keeps nothing of an add, a requeue or a purge the store refused', async () => {
    const store = new FlakyStore();
    await store.putMany([bareEntry('dead', { state: 'dead', deadReason: 'rejected', seq: 1 })]);
    const queue = new Queue({ store });
    await queue.ready;
    store.failing = true;

    await expect(queue.add(mails('x'), PROJECT, undefined)).rejects.toBeInstanceOf(StoreError);
    await expect(queue.requeue()).rejects.toBeInstanceOf(StoreError);
    await expect(queue.purge()).rejects.toBeInstanceOf(StoreError);

    expect(await queue.pending()).toEqual([]);
    expect((await queue.dead()).map((entry) => entry.record.id)).toEqual(['dead']);
    store.failing = false;
    expect((await queue.add(mails('x'), PROJECT, undefined)).added).toHaveLength(1);
  });

  it("sees another instance's writes to the same store after sync()", async () => {
    const store = new MemoryStore();
    const mine = new Queue({ store });
    const theirs = new Queue({ store });
    await mine.add(mails('mine'), PROJECT, undefined);
    await theirs.add(mails('theirs'), PROJECT, undefined);
    expect((await mine.pending()).map((entry) => entry.record.id)).toEqual(['mine']);

    await mine.sync();
    expect((await mine.pending()).map((entry) => entry.record.id).sort()).toEqual(['mine', 'theirs']);
  });

  it('a store that cannot be read rejects every call with a StoreError, and reports it once', async () => {
    const reported: Error[] = [];
    const store = new MemoryStore();
    store.load = async () => {
      throw new Error('unreadable');
    };
    const queue = new Queue({ store, report: (error) => reported.push(error) });

    await expect(queue.pending()).rejects.toBeInstanceOf(StoreError);
    await expect(queue.requeue()).rejects.toBeInstanceOf(StoreError);
    expect(reported).toHaveLength(1);
  });
});
