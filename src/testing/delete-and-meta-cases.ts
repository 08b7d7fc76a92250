// The promises of `deleteMany` and `setMeta`.
import type { OutboxEntry } from '../store/entry.js';
import { checkEqual } from './check.js';
import { EMPTY, bareEntry, byKey, contentsOf, fullEntry, keyOf } from './fixtures.js';
import type { CaseGroup } from './harness.js';

export const deleteManyCases: CaseGroup = {
  name: 'deleteMany',
  cases: [
    {
      name: 'removes the named keys and only those',
      async run({ store }) {
        const entries = ['a', 'b', 'c', 'd'].map((id, index) => fullEntry(id, index + 1));
        await store.putMany(entries);
        await store.deleteMany([keyOf('b'), keyOf('d')]);
        checkEqual((await contentsOf(store)).entries, byKey([entries[0], entries[2]] as OutboxEntry[]), 'deleteMany should remove the named keys and only those');
      },
    },
    {
      name: 'ignores unknown keys',
      async run({ store }) {
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([keyOf('never-stored'), 'not even a key', keyOf('a')]);
        await store.deleteMany([keyOf('a')]);
        checkEqual(await contentsOf(store), EMPTY(), 'deleteMany should ignore unknown keys and still remove the known ones');
      },
    },
    {
      name: 'accepts an empty list and changes nothing',
      async run({ store }) {
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([]);
        checkEqual((await store.load()).entries, [bareEntry('a')], 'deleteMany([]) should change nothing');
      },
    },
    {
      name: 'leaves the meta alone',
      async run({ store }) {
        await store.setMeta({ gate: 1_700_000_000_000 });
        await store.putMany([bareEntry('a')]);
        await store.deleteMany([keyOf('a')]);
        checkEqual(await contentsOf(store), { entries: [], meta: { gate: 1_700_000_000_000 } }, 'deleteMany should leave the meta alone');
      },
    },
    {
      name: 'lands every one of many concurrent deletes and puts',
      async run({ store }) {
        const old = Array.from({ length: 50 }, (_, index) => bareEntry(`old-${index}`, { seq: index + 1 }));
        const fresh = Array.from({ length: 50 }, (_, index) => bareEntry(`new-${index}`, { seq: 100 + index }));
        await store.putMany(old);
        await Promise.all([...old.map((entry) => store.deleteMany([entry.key])), ...fresh.map((entry) => store.putMany([entry]))]);
        checkEqual((await contentsOf(store)).entries, byKey(fresh), 'every one of 50 concurrent deleteMany and 50 concurrent putMany calls should land');
      },
    },
    {
      name: 'a put after a delete of the same key wins, and a delete after a put wins',
      async run({ store }) {
        await store.putMany([bareEntry('a'), bareEntry('b', { seq: 2 })]);
        await store.deleteMany([keyOf('a')]);
        await store.putMany([bareEntry('a', { seq: 3 })]);
        await store.putMany([bareEntry('b', { seq: 4 })]);
        await store.deleteMany([keyOf('b')]);
        checkEqual((await store.load()).entries, [bareEntry('a', { seq: 3 })], 'the later of a putMany and a deleteMany of the same key should win');
      },
    },
  ],
};

export const setMetaCases: CaseGroup = {
  name: 'setMeta',
  cases: [
    {
      name: 'sets named numbers',
      async run({ store }) {
        await store.setMeta({ 'gate:https://a.example': 1_700_000_000_000, other: 0 });
        checkEqual((await store.load()).meta, { 'gate:https://a.example': 1_700_000_000_000, other: 0 }, 'load should return the meta setMeta set');
      },
    },
    {
      name: 'overwrites a value and leaves the others alone',
      async run({ store }) {
        await store.setMeta({ a: 1, b: 2 });
        await store.setMeta({ a: 3.5 });
        checkEqual((await store.load()).meta, { a: 3.5, b: 2 }, 'setMeta should overwrite a value and leave the others alone');
      },
    },
    {
      name: 'removes a value given as undefined, and ignores removing an unknown one',
      async run({ store }) {
        await store.setMeta({ a: 1, b: 2 });
        await store.setMeta({ a: undefined, never: undefined, c: 3 });
        checkEqual((await store.load()).meta, { b: 2, c: 3 }, 'setMeta should remove a value given as undefined and ignore removing an unknown one');
      },
    },
    {
      name: 'leaves the entries alone',
      async run({ store }) {
        await store.putMany([fullEntry('a')]);
        await store.setMeta({ gate: 5 });
        await store.setMeta({ gate: undefined });
        checkEqual(await contentsOf(store), { entries: [fullEntry('a')], meta: {} }, 'setMeta should leave the entries alone');
      },
    },
    {
      name: 'lands every one of 50 concurrent calls',
      async run({ store }) {
        await Promise.all(Array.from({ length: 50 }, (_, index) => store.setMeta({ [`key-${index}`]: index })));
        const expected = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`key-${index}`, index]));
        checkEqual((await store.load()).meta, expected, 'every one of 50 concurrent setMeta calls should land');
      },
    },
  ],
};
