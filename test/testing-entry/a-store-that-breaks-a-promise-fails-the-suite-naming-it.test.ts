// The suite is a proof only if it fails: a store that breaks one promise fails the tests of
// that promise, with a message naming it, and a store that keeps them all passes every test.
// The runner here is the smallest one with describe/it (collect-cases.ts).
import { describe, expect, it } from 'vitest';
import { MemoryStore, type QueueStore } from '../../src/index.js';
import { brokenStores } from './broken-stores.js';
import { collectConformanceCases, runCollected } from './collect-cases.js';

const SUITE = 'Store keeps the QueueStore contract';

async function failuresOf(make: () => QueueStore): Promise<{ passed: number; failures: Map<string, string> }> {
  return runCollected(collectConformanceCases(async () => ({ store: make() })));
}

describe('the conformance suite', () => {
  it('passes every test for a store that keeps the contract (MemoryStore), under a minimal runner', async () => {
    const cases = collectConformanceCases(async () => ({ store: new MemoryStore() }));
    const { passed, failures } = await runCollected(cases);
    expect([...failures]).toEqual([]);
    expect(passed).toBe(cases.length);
    expect(cases.length).toBe(42);
  });

  it('fails a putMany that drops the last entry, saying which promise and which entry', async () => {
    const { failures } = await failuresOf(brokenStores['drops-last-entry']!);
    expect(failures.get(`${SUITE} > load > returns what putMany stored, every field equal, optional and nested ones included`)).toBe(
      'load should return every entry putMany stored, every field equal\n' +
        '  at entries: expected 3 items, got 2 (missing key "0123456789abcdef0123456789abcdef:c")',
    );
    expect(failures.get(`${SUITE} > putMany > stores 1000 entries given at once`)).toMatch(/^putMany should store all of 1000 entries given at once\n {2}at the value: expected 1000 items, got 999 \(missing key ".*:bulk-999"\)$/);
  });

  it('fails a load that loses the meta, naming setMeta and the missing name', async () => {
    const { failures } = await failuresOf(brokenStores['loses-meta']!);
    expect(failures.get(`${SUITE} > setMeta > sets named numbers`)).toBe('load should return the meta setMeta set\n  at the value: missing "gate:https://a.example", "other"');
    expect(failures.get(`${SUITE} > deleteMany > leaves the meta alone`)).toMatch(/^deleteMany should leave the meta alone\n {2}at meta: missing "gate"$/);
    expect(failures.get(`${SUITE} > setMeta > lands every one of 50 concurrent calls`)).toBe(
      'every one of 50 concurrent setMeta calls should land\n  at the value: missing "key-0", "key-1", "key-2", "key-3", "key-4" and 45 more',
    );
    // Only the promises about meta fail: the entries are kept.
    expect([...failures.keys()].map((name) => name.slice(SUITE.length + 3))).toEqual([
      'deleteMany > leaves the meta alone',
      'setMeta > sets named numbers',
      'setMeta > overwrites a value and leaves the others alone',
      'setMeta > removes a value given as undefined, and ignores removing an unknown one',
      'setMeta > lands every one of 50 concurrent calls',
      'copies > mutating what load returned does not change what is stored',
      'copies > mutating a meta object after setMeta does not change what is stored',
    ]);
  });

  it('fails a store that still works after close, naming the method', async () => {
    const { failures } = await failuresOf(brokenStores['ignores-close']!);
    expect([...failures]).toEqual([[`${SUITE} > close > after close, every method rejects`, 'load after close should reject, but it resolved']]);
  });
});
