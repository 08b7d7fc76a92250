// The promise that what was written survives close and a new open of the same storage. Only for
// stores whose test passes `reopen`.
import { checkEqual } from './check.js';
import { EMPTY, bareEntry, byKey, contentsOf, fullEntry, keyOf } from './fixtures.js';
import type { CaseGroup } from './harness.js';

export const durabilityCases: CaseGroup = {
  name: 'durability (close, then open the same storage again)',
  cases: [
    {
      name: 'what was written is there after close and reopen, meta included',
      durable: true,
      async run(session) {
        const entries = [fullEntry('a', 1), bareEntry('b', { seq: 2 }), fullEntry('c', 3)];
        await session.store.putMany(entries);
        await session.store.setMeta({ 'gate:https://a.example': 1_700_000_000_000, gone: 1 });
        await session.store.setMeta({ gone: undefined });
        const reopened = await session.reopen();
        const expected = { entries: byKey(entries), meta: { 'gate:https://a.example': 1_700_000_000_000 } };
        checkEqual(await contentsOf(reopened), expected, 'what putMany and setMeta wrote should be there after close and reopen');
      },
    },
    {
      name: 'replacements and deletions are durable too',
      durable: true,
      async run(session) {
        await session.store.putMany([fullEntry('a', 1), fullEntry('b', 2), fullEntry('c', 3)]);
        await session.store.putMany([bareEntry('a', { seq: 4, attempts: 1 })]);
        await session.store.deleteMany([keyOf('b')]);
        const reopened = await session.reopen();
        const expected = byKey([bareEntry('a', { seq: 4, attempts: 1 }), fullEntry('c', 3)]);
        checkEqual((await contentsOf(reopened)).entries, expected, 'a replacement by putMany and a removal by deleteMany should survive close and reopen');
      },
    },
    {
      name: 'what 50 concurrent writes stored is there after reopen',
      durable: true,
      async run(session) {
        const entries = Array.from({ length: 50 }, (_, index) => fullEntry(`concurrent-${index}`, index + 1));
        const { store } = session;
        await Promise.all(entries.map((entry) => store.putMany([entry])));
        const reopened = await session.reopen();
        checkEqual((await contentsOf(reopened)).entries, byKey(entries), 'what 50 concurrent putMany calls stored should survive close and reopen');
      },
    },
    {
      name: 'unicode, lone surrogates and long strings survive reopen',
      durable: true,
      async run(session) {
        const entry = fullEntry('ünï-\uD800-😀');
        entry.record.error_msg = `${'z'.repeat(50_000)}\n\u2028末尾\uDE00`;
        await session.store.putMany([entry]);
        const reopened = await session.reopen();
        checkEqual((await reopened.load()).entries, [entry], 'unicode, lone surrogates and long strings should survive close and reopen unchanged');
      },
    },
    {
      name: 'a reopened store takes writes, and they survive another reopen',
      durable: true,
      async run(session) {
        await session.store.putMany([fullEntry('a', 1)]);
        const second = await session.reopen();
        await second.putMany([fullEntry('b', 2)]);
        await second.deleteMany([keyOf('a')]);
        await second.setMeta({ gate: 42 });
        const third = await session.reopen();
        checkEqual(await contentsOf(third), { entries: [fullEntry('b', 2)], meta: { gate: 42 } }, 'writes to a reopened store should survive another close and reopen');
      },
    },
    {
      name: 'an empty store is still empty after reopen',
      durable: true,
      async run(session) {
        const reopened = await session.reopen();
        checkEqual(await contentsOf(reopened), EMPTY(), 'an empty store should still be empty after close and reopen');
      },
    },
    {
      name: 'a store reopened after clean writes reports no problems',
      durable: true,
      async run(session) {
        await session.store.putMany(Array.from({ length: 20 }, (_, index) => fullEntry(`clean-${index}`, index + 1)));
        await session.store.deleteMany([keyOf('clean-3')]);
        await session.store.putMany([bareEntry('clean-4', { seq: 30 })]);
        await session.store.setMeta({ gate: 7 });
        const reopened = await session.reopen();
        checkEqual((await reopened.load()).problems ?? [], [], 'load after a reopen should report no problems when every write went through the interface');
      },
    },
  ],
};
