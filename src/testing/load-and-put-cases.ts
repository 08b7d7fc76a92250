// The promises of `load` and `putMany`.
import { isStoreError } from '../errors/index.js';
import { parseStoredEntry, type OutboxEntry } from '../store/entry.js';
import { check, checkEqual, rejectionOf } from './check.js';
import { EMPTY, bareEntry, byKey, contentsOf, fullEntry, keyOf } from './fixtures.js';
import type { CaseGroup, ConformanceCase } from './harness.js';

export const fixtureCases: CaseGroup = {
  cases: [
    {
      name: 'the fixtures are valid stored entries',
      run() {
        for (const entry of [bareEntry('a'), fullEntry('b')]) checkEqual(parseStoredEntry(entry), entry, `the fixture ${entry.key} should parse as a stored entry unchanged`);
      },
    },
  ],
};

export const loadCases: CaseGroup = {
  name: 'load',
  cases: [
    {
      name: 'a new store holds no entries and no meta',
      async run({ store }) {
        checkEqual(await contentsOf(store), EMPTY(), 'load of a new store should return no entries and no meta');
      },
    },
    {
      name: 'returns what putMany stored, every field equal, optional and nested ones included',
      async run({ store }) {
        const entries = [fullEntry('a', 1), fullEntry('b', 2), bareEntry('c', { seq: 3 })];
        await store.putMany(entries);
        checkEqual(await contentsOf(store), { entries: byKey(entries), meta: {} }, 'load should return every entry putMany stored, every field equal');
      },
    },
    {
      name: 'returns an entry whose optional fields are all absent without adding keys to it',
      async run({ store }) {
        const entry = bareEntry('bare');
        await store.putMany([entry]);
        const { entries } = await store.load();
        checkEqual(entries, [entry], 'load should return an entry without optional fields as it was stored, adding no keys (not even ones holding undefined)');
      },
    },
    {
      name: 'reports no problems for what was written through the interface',
      async run({ store }) {
        await store.putMany([fullEntry('a'), bareEntry('b', { seq: 2 })]);
        await store.deleteMany([keyOf('a')]);
        await store.setMeta({ gate: 1 });
        checkEqual((await store.load()).problems ?? [], [], 'load should report no problems for what was written through the interface');
      },
    },
    {
      name: 'returns pending and dead entries alike',
      async run({ store }) {
        const pending = bareEntry('p', { seq: 1, attempts: 2, nextAttemptAt: 1_700_000_100_000 });
        const dead = bareEntry('d', { seq: 2, state: 'dead', deadReason: 'rejected', attempts: 1 });
        await store.putMany([pending, dead]);
        checkEqual((await contentsOf(store)).entries, byKey([pending, dead]), 'load should return pending and dead entries alike');
      },
    },
  ],
};

// What a store accepts it must load back: JSON writes Infinity and NaN as null, so a non-finite
// number accepted by putMany would make the whole entry unreadable after a reopen.
const unloadable: Array<[string, () => OutboxEntry]> = [
  ['nextAttemptAt Infinity', () => bareEntry('bad', { seq: 2, nextAttemptAt: Infinity })],
  ['enqueuedAt NaN', () => bareEntry('bad', { seq: 2, enqueuedAt: Number.NaN })],
  ['attempts -1', () => bareEntry('bad', { seq: 2, attempts: -1 })],
  ['lastError.retryAfterMs Infinity', () => ({ ...fullEntry('bad', 2), lastError: { ...fullEntry('bad').lastError!, retryAfterMs: Infinity } })],
  ['a key that does not match its record', () => ({ ...bareEntry('bad', { seq: 2 }), key: keyOf('other') })],
];

export const putManyCases: CaseGroup = {
  name: 'putMany',
  cases: [
    {
      name: 'replaces an entry with the same key',
      async run({ store }) {
        await store.putMany([fullEntry('a'), bareEntry('b', { seq: 2 })]);
        const replacement = bareEntry('a', { seq: 7, attempts: 4, nextAttemptAt: 1_700_000_500_000 });
        await store.putMany([replacement]);
        checkEqual((await contentsOf(store)).entries, byKey([replacement, bareEntry('b', { seq: 2 })]), 'putMany should replace an entry with the same key and leave the others');
      },
    },
    {
      name: 'stores 1000 entries given at once',
      async run({ store }) {
        const entries = Array.from({ length: 1000 }, (_, index) => fullEntry(`bulk-${index}`, index + 1));
        await store.putMany(entries);
        checkEqual((await contentsOf(store)).entries, byKey(entries), 'putMany should store all of 1000 entries given at once');
      },
    },
    {
      name: 'accepts an empty list and changes nothing',
      async run({ store }) {
        await store.putMany([bareEntry('a')]);
        await store.putMany([]);
        checkEqual((await store.load()).entries, [bareEntry('a')], 'putMany([]) should change nothing');
      },
    },
    {
      name: 'keeps entries of different projects with the same record id apart',
      async run({ store }) {
        const here = bareEntry('same');
        const there = bareEntry('same', { projectId: 'fedcba9876543210fedcba9876543210', seq: 2 });
        await store.putMany([here, there]);
        checkEqual((await contentsOf(store)).entries, byKey([here, there]), 'putMany should keep entries of different projects with the same record id apart');
      },
    },
    {
      name: 'lands every one of 50 concurrent calls',
      async run({ store }) {
        const entries = Array.from({ length: 50 }, (_, index) => fullEntry(`concurrent-${index}`, index + 1));
        await Promise.all(entries.map((entry) => store.putMany([entry])));
        checkEqual((await contentsOf(store)).entries, byKey(entries), 'every one of 50 concurrent putMany calls should land');
      },
    },
    ...unloadable.map(([what, make]): ConformanceCase => ({
      name: `refuses an entry load would refuse (${what}) with a StoreError, and stores nothing of the call`,
      async run({ store }) {
        await store.putMany([bareEntry('kept')]);
        const error = await rejectionOf(store.putMany([bareEntry('good', { seq: 3 }), make()]), `putMany should refuse an entry load would refuse (${what})`);
        check(isStoreError(error), `putMany should refuse an entry load would refuse (${what}) with a StoreError, got ${String(error)}`);
        checkEqual((await contentsOf(store)).entries, [bareEntry('kept')], `putMany refusing an entry (${what}) should store nothing of the call`);
      },
    })),
  ],
};
