// The promises that stores keep copies, round-trip any string, and refuse work once closed.
import { isOutboxError } from '../errors/index.js';
import type { OutboxEntry } from '../store/entry.js';
import { check, checkEqual, rejectionOf } from './check.js';
import { bareEntry, byKey, contentsOf, fullEntry, keyOf } from './fixtures.js';
import type { CaseGroup } from './harness.js';

type ErrorInfo = NonNullable<OutboxEntry['lastError']>;

export const copyCases: CaseGroup = {
  name: 'copies',
  cases: [
    {
      name: 'mutating entries after putMany does not change what is stored',
      async run({ store }) {
        const entries = [fullEntry('a'), fullEntry('b', 2)];
        await store.putMany(entries);
        const first = entries[0] as OutboxEntry;
        first.attempts = 99;
        first.record.account = 'mutated';
        (first.lastError as ErrorInfo).message = 'mutated';
        entries.pop();
        checkEqual((await contentsOf(store)).entries, [fullEntry('a'), fullEntry('b', 2)], 'putMany should store copies: mutating the entries afterwards must not change what is stored');
      },
    },
    {
      name: 'mutating what load returned does not change what is stored',
      async run({ store }) {
        await store.putMany([fullEntry('a')]);
        await store.setMeta({ gate: 10 });
        const loaded = await store.load();
        const entry = loaded.entries[0] as OutboxEntry;
        entry.state = 'pending';
        entry.record.id = 'mutated';
        (entry.lastError as ErrorInfo).status = 500;
        loaded.entries.push(bareEntry('intruder'));
        loaded.meta.gate = 20;
        loaded.meta.extra = 1;
        checkEqual(await contentsOf(store), { entries: [fullEntry('a')], meta: { gate: 10 } }, 'load should return copies: mutating what it returned must not change what is stored');
      },
    },
    {
      name: 'mutating a meta object after setMeta does not change what is stored',
      async run({ store }) {
        const values: Record<string, number | undefined> = { gate: 10 };
        await store.setMeta(values);
        values.gate = 20;
        values.extra = 1;
        checkEqual((await store.load()).meta, { gate: 10 }, 'setMeta should store copies: mutating its argument afterwards must not change what is stored');
      },
    },
  ],
};

/** Text that breaks naive encodings: CJK, emoji, combining marks, right-to-left, control characters. */
const TRICKY_TEXT = [
  '张伟 <zhang.wei@例子.中国>',
  '👩‍👩‍👧‍👦 🏳️‍🌈 𝕏',
  'é (e + U+0301) ≠ é',
  'مرحبا שלום',
  'line\nbreak\r\nand\ttab, NUL \u0000, quote " backslash \\ ',
  'separators \u2028 \u2029, BOM \uFEFF, replacement \uFFFD',
  '{"looks":"like json"}\n{"another":"line"}',
];

export const stringCases: CaseGroup = {
  name: 'strings',
  cases: [
    {
      name: 'unicode round-trips: CJK, emoji, combining marks, right-to-left, control characters',
      async run({ store }) {
        const entries = TRICKY_TEXT.map((text, index) => {
          const entry = fullEntry(`unicode-${index}-${text}`, index + 1);
          entry.record.account_auth_name = text;
          (entry.lastError as ErrorInfo).errorMsg = text;
          return entry;
        });
        await store.putMany(entries);
        checkEqual((await contentsOf(store)).entries, byKey(entries), 'load should return unicode text (in keys and fields) exactly as putMany stored it');
      },
    },
    {
      name: 'strings that are not well-formed UTF-16 (lone surrogates) round-trip unchanged',
      async run({ store }) {
        const entry = fullEntry('lone-\uD800-surrogate-\uDFFF');
        entry.record.error_msg = 'high \uD83D alone, low \uDE00 alone';
        await store.putMany([entry]);
        checkEqual((await store.load()).entries, [entry], 'load should return strings with lone surrogates exactly as putMany stored them');
      },
    },
    {
      name: 'long strings round-trip',
      async run({ store }) {
        const entry = fullEntry('long');
        entry.record.error_msg = 'x'.repeat(100_000) + '末尾';
        entry.record.id = `id-${'y'.repeat(5_000)}`;
        entry.key = keyOf(entry.record.id);
        await store.putMany([entry]);
        checkEqual((await store.load()).entries, [entry], 'load should return long strings (a 100,000-character field, a 5,000-character id) exactly as putMany stored them');
      },
    },
  ],
};

/** Checks that `what` rejects, after close, with one of the library's errors saying the store is closed. */
async function checkRejectsAfterClose(promise: Promise<unknown>, what: string): Promise<void> {
  const error = await rejectionOf(promise, `${what} after close should reject`);
  check(error instanceof Error, `${what} after close should reject with an Error, got ${String(error)}`);
  check(isOutboxError(error), `${what} after close should reject with one of the library's errors (e.g. OutboxClosedError(what, 'the store')), got ${error.name}: ${error.message}`);
  // The store speaks for itself: it is the store that is closed, whatever the outbox above it does.
  check(!/the outbox is closed/.test(error.message), `${what} after close should say the store is closed, not the outbox: ${error.message}`);
}

export const closeCases: CaseGroup = {
  name: 'close',
  cases: [
    {
      name: 'after close, every method rejects',
      async run({ store }) {
        await store.putMany([bareEntry('a')]);
        await store.close();
        await checkRejectsAfterClose(store.load(), 'load');
        await checkRejectsAfterClose(store.putMany([bareEntry('b')]), 'putMany');
        await checkRejectsAfterClose(store.deleteMany([keyOf('a')]), 'deleteMany');
        await checkRejectsAfterClose(store.setMeta({ gate: 1 }), 'setMeta');
      },
    },
    {
      name: 'close is idempotent: a second close() resolves',
      async run({ store }) {
        await store.close();
        let second: unknown;
        await store.close().catch((error: unknown) => (second = error));
        check(second === undefined, `close() a second time should resolve, but it rejected (${String((second as Error)?.message ?? second)})`);
      },
    },
  ],
};
