// The QueueStore contract, as one suite that every store runs (MemoryStore here; FileStore in
// Node, IndexedDbStore in the browser). Isomorphic on purpose: no `node:` import, no DOM global.
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { isOutboxError, isStoreError } from '../../src/index.js';
import { entryKey, parseStoredEntry, type OutboxEntry } from '../../src/store/entry.js';
import type { QueueStore, StoreContents } from '../../src/store/QueueStore.js';
import { PROJECT } from '../helpers/project.js';

/** What a store's test file hands the suite: a fresh, empty store per test. */
export interface StoreUnderTest {
  store: QueueStore;
  /** Opens the same storage again (after `store` was closed). Absent: the store does not survive. */
  reopen?: () => Promise<QueueStore>;
  /** Removes whatever the store left behind (files, databases). */
  cleanup?: () => Promise<void>;
}

/** An entry with only the required fields. */
export function bareEntry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  const projectId = overrides.projectId ?? PROJECT;
  return {
    key: entryKey(projectId, overrides.record?.id ?? id),
    record: { id },
    projectId,
    seq: 1,
    enqueuedAt: 1_700_000_000_000,
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
    ...overrides,
  };
}

/** An entry with every optional field set, nested ones included. */
export function fullEntry(id: string, seq = 1): OutboxEntry {
  return {
    key: entryKey(PROJECT, id),
    record: {
      id,
      account: `user-${id}`,
      account_auth_type: 'USER',
      account_auth_name: `User ${id}`,
      app_group_id: `group-${id}`,
      app_group_name: `Group ${id}`,
      mail_send_type: 'ADD_GROUP_AUTHORIZATION',
      mail_send_result: 'FAIL',
      error_msg: 'mailbox unavailable',
      send_at: '2024-05-01T08:30:00Z',
    },
    projectId: PROJECT,
    language: 'fr-fr',
    seq,
    enqueuedAt: 1_700_000_000_123,
    attempts: 3,
    nextAttemptAt: 1_700_000_060_456,
    state: 'dead',
    deadReason: 'max-attempts',
    lastError: {
      name: 'ApiError',
      message: 'the service is unavailable (503)',
      retryable: true,
      kind: 'unavailable',
      status: 503,
      errorCode: 'WKS.0503',
      errorMsg: 'Service Unavailable',
      requestId: `req-${id}`,
      retryAfterMs: 30_000,
    },
  };
}

const byKey = (entries: readonly OutboxEntry[]): OutboxEntry[] => [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * Loads and returns the entries sorted by key (stores keep no order) and the meta. `problems`
 * is left out here: a store written only through this interface has none, which the
 * "reports no problems" tests check on their own.
 */
async function contentsOf(store: QueueStore): Promise<Pick<StoreContents, 'entries' | 'meta'>> {
  const { entries, meta } = await store.load();
  return { entries: byKey(entries), meta };
}

const EMPTY = { entries: [], meta: {} };

async function expectRejects(promise: Promise<unknown>, what: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error, `${what} after close should reject`).toBeInstanceOf(Error);
  expect(isOutboxError(error), `${what} after close should reject with one of the library's errors`).toBe(true);
  // The store speaks for itself: it is the store that is closed, whatever the outbox above it does.
  expect((error as Error).message, `${what} after close should say the store is closed`).not.toMatch(/the outbox is closed/);
}

/**
 * Defines every promise of the `QueueStore` interface. `open` returns a fresh, empty store for
 * each test; with `reopen`, the durability promises run too.
 */
export function describeQueueStoreConformance(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} keeps the QueueStore contract`, () => {
    let subject: StoreUnderTest;
    let store: QueueStore;
    const opened: QueueStore[] = [];

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      opened.push(store);
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close().catch(() => undefined);
      await subject.cleanup?.();
    });

    /** Closes the store and opens its storage again; skips the test for stores that do not survive. */
    async function closeAndReopen(context: TestContext): Promise<QueueStore> {
      if (!subject.reopen) {
        context.skip('this store does not survive close (no reopen)');
        throw new Error('unreachable');
      }
      await store.close();
      store = await subject.reopen();
      opened.push(store);
      return store;
    }

    it('the fixtures are valid stored entries', () => {
      for (const entry of [bareEntry('a'), fullEntry('b')]) expect(parseStoredEntry(entry)).toStrictEqual(entry);
    });

    describe('load', () => {
      it('a new store holds no entries and no meta', async () => {
        expect(await contentsOf(store)).toStrictEqual(EMPTY);
      });

      it('returns what putMany stored, every field equal, optional and nested ones included', async () => {
        const entries = [fullEntry('a', 1), fullEntry('b', 2), bareEntry('c', { seq: 3 })];
        await store.putMany(entries);
        expect(await contentsOf(store)).toStrictEqual({ entries: byKey(entries), meta: {} });
      });

      it('returns an entry whose optional fields are all absent without adding keys to it', async () => {
        const entry = bareEntry('bare');
        await store.putMany([entry]);
        const [loaded] = (await store.load()).entries;
        expect(loaded).toStrictEqual(entry);
        expect(Object.keys(loaded ?? {}).sort()).toEqual(Object.keys(entry).sort());
        expect(Object.keys(loaded?.record ?? {})).toEqual(['id']);
      });

      it('reports no problems for what was written through the interface', async () => {
        await store.putMany([fullEntry('a'), bareEntry('b', { seq: 2 })]);
        await store.deleteMany([entryKey(PROJECT, 'a')]);
        await store.setMeta({ gate: 1 });
        expect((await store.load()).problems ?? []).toEqual([]);
      });

      it('returns pending and dead entries alike', async () => {
        const pending = bareEntry('p', { seq: 1, attempts: 2, nextAttemptAt: 1_700_000_100_000 });
        const dead = bareEntry('d', { seq: 2, state: 'dead', deadReason: 'rejected', attempts: 1 });
        await store.putMany([pending, dead]);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey([pending, dead]));
      });
    });

    describe('putMany', () => {
      it('replaces an entry with the same key', async () => {
        await store.putMany([fullEntry('a'), bareEntry('b', { seq: 2 })]);
        const replacement = bareEntry('a', { seq: 7, attempts: 4, nextAttemptAt: 1_700_000_500_000 });
        await store.putMany([replacement]);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey([replacement, bareEntry('b', { seq: 2 })]));
      });

      it('stores 1000 entries given at once', async () => {
        const entries = Array.from({ length: 1000 }, (_, index) => fullEntry(`bulk-${index}`, index + 1));
        await store.putMany(entries);
        const loaded = (await contentsOf(store)).entries;
        expect(loaded).toHaveLength(1000);
        expect(loaded).toStrictEqual(byKey(entries));
      });

      it('accepts an empty list and changes nothing', async () => {
        await store.putMany([bareEntry('a')]);
        await store.putMany([]);
        expect((await store.load()).entries).toStrictEqual([bareEntry('a')]);
      });

      it('keeps entries of different projects with the same record id apart', async () => {
        const here = bareEntry('same');
        const there = bareEntry('same', { projectId: 'fedcba9876543210fedcba9876543210', seq: 2 });
        await store.putMany([here, there]);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey([here, there]));
      });

      it('lands every one of 50 concurrent calls', async () => {
        const entries = Array.from({ length: 50 }, (_, index) => fullEntry(`concurrent-${index}`, index + 1));
        await Promise.all(entries.map((entry) => store.putMany([entry])));
        expect((await contentsOf(store)).entries).toStrictEqual(byKey(entries));
      });

      // What a store accepts it must load back: JSON writes Infinity and NaN as null, so a
      // non-finite number accepted here would make the whole entry unreadable after a reopen.
      const unloadable: Array<[string, () => OutboxEntry]> = [
        ['nextAttemptAt Infinity', () => bareEntry('bad', { seq: 2, nextAttemptAt: Infinity })],
        ['enqueuedAt NaN', () => bareEntry('bad', { seq: 2, enqueuedAt: Number.NaN })],
        ['attempts -1', () => bareEntry('bad', { seq: 2, attempts: -1 })],
        ['lastError.retryAfterMs Infinity', () => ({ ...fullEntry('bad', 2), lastError: { ...fullEntry('bad').lastError!, retryAfterMs: Infinity } })],
        ['a key that does not match its record', () => ({ ...bareEntry('bad', { seq: 2 }), key: entryKey(PROJECT, 'other') })],
      ];
      for (const [what, make] of unloadable) {
        it(`refuses an entry load would refuse (${what}) with a StoreError, and stores nothing of the call`, async () => {
          await store.putMany([bareEntry('kept')]);
          const error = await store.putMany([bareEntry('good', { seq: 3 }), make()]).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(isStoreError(error), `putMany should reject with a StoreError, got ${String(error)}`).toBe(true);
          expect((await contentsOf(store)).entries).toStrictEqual([bareEntry('kept')]);
        });
      }
    });

    describe('deleteMany', () => {
      it('removes the named keys and only those', async () => {
        const entries = ['a', 'b', 'c', 'd'].map((id, index) => fullEntry(id, index + 1));
        await store.putMany(entries);
        await store.deleteMany([entryKey(PROJECT, 'b'), entryKey(PROJECT, 'd')]);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey([entries[0], entries[2]] as OutboxEntry[]));
      });

      it('ignores unknown keys', async () => {
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([entryKey(PROJECT, 'never-stored'), 'not even a key', entryKey(PROJECT, 'a')]);
        await store.deleteMany([entryKey(PROJECT, 'a')]);
        expect(await contentsOf(store)).toStrictEqual(EMPTY);
      });

      it('accepts an empty list and changes nothing', async () => {
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([]);
        expect((await store.load()).entries).toStrictEqual([bareEntry('a')]);
      });

      it('leaves the meta alone', async () => {
        await store.setMeta({ gate: 1_700_000_000_000 });
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([entryKey(PROJECT, 'a')]);
        expect(await contentsOf(store)).toStrictEqual({ entries: [], meta: { gate: 1_700_000_000_000 } });
      });

      it('lands every one of many concurrent deletes and puts', async () => {
        const old = Array.from({ length: 50 }, (_, index) => bareEntry(`old-${index}`, { seq: index + 1 }));
        const fresh = Array.from({ length: 50 }, (_, index) => bareEntry(`new-${index}`, { seq: 100 + index }));
        await store.putMany(old);
        await Promise.all([
          ...old.map((entry) => store.deleteMany([entry.key])),
          ...fresh.map((entry) => store.putMany([entry])),
        ]);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey(fresh));
      });

      it('a put after a delete of the same key wins, and a delete after a put wins', async () => {
        await store.putMany([bareEntry('a'), bareEntry('b', { seq: 2 })]);
        await store.deleteMany([entryKey(PROJECT, 'a')]);
        await store.putMany([bareEntry('a', { seq: 3 })]);
        await store.putMany([bareEntry('b', { seq: 4 })]);
        await store.deleteMany([entryKey(PROJECT, 'b')]);
        expect((await store.load()).entries).toStrictEqual([bareEntry('a', { seq: 3 })]);
      });
    });

    describe('setMeta', () => {
      it('sets named numbers', async () => {
        await store.setMeta({ 'gate:https://a.example': 1_700_000_000_000, other: 0 });
        expect((await store.load()).meta).toStrictEqual({ 'gate:https://a.example': 1_700_000_000_000, other: 0 });
      });

      it('overwrites a value and leaves the others alone', async () => {
        await store.setMeta({ a: 1, b: 2 });
        await store.setMeta({ a: 3.5 });
        expect((await store.load()).meta).toStrictEqual({ a: 3.5, b: 2 });
      });

      it('removes a value given as undefined, and ignores removing an unknown one', async () => {
        await store.setMeta({ a: 1, b: 2 });
        await store.setMeta({ a: undefined, never: undefined, c: 3 });
        expect((await store.load()).meta).toStrictEqual({ b: 2, c: 3 });
      });

      it('leaves the entries alone', async () => {
        await store.putMany([fullEntry('a')]);
        await store.setMeta({ gate: 5 });
        await store.setMeta({ gate: undefined });
        expect(await contentsOf(store)).toStrictEqual({ entries: [fullEntry('a')], meta: {} });
      });

      it('lands every one of 50 concurrent calls', async () => {
        await Promise.all(Array.from({ length: 50 }, (_, index) => store.setMeta({ [`key-${index}`]: index })));
        expect((await store.load()).meta).toStrictEqual(Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`key-${index}`, index])));
      });
    });

    describe('copies', () => {
      it('mutating entries after putMany does not change what is stored', async () => {
        const entries = [fullEntry('a'), fullEntry('b', 2)];
        await store.putMany(entries);
        const first = entries[0] as OutboxEntry;
        first.attempts = 99;
        first.record.account = 'mutated';
        (first.lastError as NonNullable<OutboxEntry['lastError']>).message = 'mutated';
        entries.pop();
        expect((await contentsOf(store)).entries).toStrictEqual([fullEntry('a'), fullEntry('b', 2)]);
      });

      it('mutating what load returned does not change what is stored', async () => {
        await store.putMany([fullEntry('a')]);
        await store.setMeta({ gate: 10 });
        const loaded = await store.load();
        const entry = loaded.entries[0] as OutboxEntry;
        entry.state = 'pending';
        entry.record.id = 'mutated';
        (entry.lastError as NonNullable<OutboxEntry['lastError']>).status = 500;
        loaded.entries.push(bareEntry('intruder'));
        loaded.meta.gate = 20;
        loaded.meta.extra = 1;
        expect(await contentsOf(store)).toStrictEqual({ entries: [fullEntry('a')], meta: { gate: 10 } });
      });

      it('mutating a meta object after setMeta does not change what is stored', async () => {
        const values: Record<string, number | undefined> = { gate: 10 };
        await store.setMeta(values);
        values.gate = 20;
        values.extra = 1;
        expect((await store.load()).meta).toStrictEqual({ gate: 10 });
      });
    });

    describe('strings', () => {
      it('unicode round-trips: CJK, emoji, combining marks, right-to-left, control characters', async () => {
        const tricky = [
          '张伟 <zhang.wei@例子.中国>',
          '👩‍👩‍👧‍👦 🏳️‍🌈 𝕏',
          'é (e + U+0301) ≠ é',
          'مرحبا שלום',
          'line\nbreak\r\nand\ttab, NUL \u0000, quote " backslash \\ ',
          'separators \u2028 \u2029, BOM \uFEFF, replacement \uFFFD',
          '{"looks":"like json"}\n{"another":"line"}',
        ];
        const entries = tricky.map((text, index) => {
          const entry = fullEntry(`unicode-${index}-${text}`, index + 1);
          entry.record.account_auth_name = text;
          (entry.lastError as NonNullable<OutboxEntry['lastError']>).errorMsg = text;
          return entry;
        });
        await store.putMany(entries);
        expect((await contentsOf(store)).entries).toStrictEqual(byKey(entries));
      });

      it('strings that are not well-formed UTF-16 (lone surrogates) round-trip unchanged', async () => {
        const entry = fullEntry('lone-\uD800-surrogate-\uDFFF');
        entry.record.error_msg = 'high \uD83D alone, low \uDE00 alone';
        await store.putMany([entry]);
        expect((await store.load()).entries).toStrictEqual([entry]);
      });

      it('long strings round-trip', async () => {
        const long = 'x'.repeat(100_000) + '末尾';
        const entry = fullEntry('long');
        entry.record.error_msg = long;
        entry.record.id = `id-${'y'.repeat(5_000)}`;
        entry.key = entryKey(entry.projectId, entry.record.id);
        await store.putMany([entry]);
        expect((await store.load()).entries).toStrictEqual([entry]);
      });
    });

    describe('close', () => {
      it('after close, every method rejects', async () => {
        await store.putMany([bareEntry('a')]);
        await store.close();
        await expectRejects(store.load(), 'load');
        await expectRejects(store.putMany([bareEntry('b')]), 'putMany');
        await expectRejects(store.deleteMany([entryKey(PROJECT, 'a')]), 'deleteMany');
        await expectRejects(store.setMeta({ gate: 1 }), 'setMeta');
      });
    });

    describe('durability (close, then open the same storage again)', () => {
      it('what was written is there after close and reopen, meta included', async (context) => {
        const entries = [fullEntry('a', 1), bareEntry('b', { seq: 2 }), fullEntry('c', 3)];
        await store.putMany(entries);
        await store.setMeta({ 'gate:https://a.example': 1_700_000_000_000, gone: 1 });
        await store.setMeta({ gone: undefined });
        const reopened = await closeAndReopen(context);
        expect(await contentsOf(reopened)).toStrictEqual({ entries: byKey(entries), meta: { 'gate:https://a.example': 1_700_000_000_000 } });
      });

      it('replacements and deletions are durable too', async (context) => {
        await store.putMany([fullEntry('a', 1), fullEntry('b', 2), fullEntry('c', 3)]);
        await store.putMany([bareEntry('a', { seq: 4, attempts: 1 })]);
        await store.deleteMany([entryKey(PROJECT, 'b')]);
        const reopened = await closeAndReopen(context);
        expect((await contentsOf(reopened)).entries).toStrictEqual(byKey([bareEntry('a', { seq: 4, attempts: 1 }), fullEntry('c', 3)]));
      });

      it('what 50 concurrent writes stored is there after reopen', async (context) => {
        const entries = Array.from({ length: 50 }, (_, index) => fullEntry(`concurrent-${index}`, index + 1));
        await Promise.all(entries.map((entry) => store.putMany([entry])));
        const reopened = await closeAndReopen(context);
        expect((await contentsOf(reopened)).entries).toStrictEqual(byKey(entries));
      });

      it('unicode, lone surrogates and long strings survive reopen', async (context) => {
        const entry = fullEntry('ünï-\uD800-😀');
        entry.record.error_msg = `${'z'.repeat(50_000)}\n\u2028末尾\uDE00`;
        await store.putMany([entry]);
        const reopened = await closeAndReopen(context);
        expect((await reopened.load()).entries).toStrictEqual([entry]);
      });

      it('a reopened store takes writes, and they survive another reopen', async (context) => {
        await store.putMany([fullEntry('a', 1)]);
        const second = await closeAndReopen(context);
        await second.putMany([fullEntry('b', 2)]);
        await second.deleteMany([entryKey(PROJECT, 'a')]);
        await second.setMeta({ gate: 42 });
        const third = await closeAndReopen(context);
        expect(await contentsOf(third)).toStrictEqual({ entries: [fullEntry('b', 2)], meta: { gate: 42 } });
      });

      it('an empty store is still empty after reopen', async (context) => {
        const reopened = await closeAndReopen(context);
        expect(await contentsOf(reopened)).toStrictEqual(EMPTY);
      });

      it('a store reopened after clean writes reports no problems', async (context) => {
        await store.putMany(Array.from({ length: 20 }, (_, index) => fullEntry(`clean-${index}`, index + 1)));
        await store.deleteMany([entryKey(PROJECT, 'clean-3')]);
        await store.putMany([bareEntry('clean-4', { seq: 30 })]);
        await store.setMeta({ gate: 7 });
        const reopened = await closeAndReopen(context);
        expect((await reopened.load()).problems ?? []).toEqual([]);
      });
    });
  });
}
