// Attack on wks-mail-outbox/testing: stores of our own that break the README's QueueStore
// contract must each fail at least one case with a message naming the promise; a correct store
// (the library's MemoryStore) passes every case. The suite runs under a collecting runner.
import { describe, expect, it } from 'vitest';
import { MemoryStore, OutboxEntrySchema, StoreError, type OutboxEntry, type StoreContents } from '../../../src/index.js';
import { describeQueueStoreConformance } from '../../../src/testing.js';

/** Runs the whole suite against `open` and returns each case's failure message (undefined: passed). */
async function runSuite(open: () => Promise<{ store: MemoryStore }>): Promise<Map<string, string | undefined>> {
  const tests: Array<[string, () => Promise<void>]> = [];
  const path: string[] = [];
  describeQueueStoreConformance('Broken', open, {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => void tests.push([[...path, name].join(' > '), body]),
  });
  const results = new Map<string, string | undefined>();
  for (const [name, body] of tests) {
    try {
      await body.call({ skip: () => undefined });
      results.set(name, undefined);
    } catch (error) {
      results.set(name, (error as Error).message);
    }
  }
  return results;
}

const failures = (results: Map<string, string | undefined>) => [...results].filter(([, message]) => message !== undefined);

/** putMany writes entry by entry and throws at an invalid one: the earlier ones stay. */
class NonAtomicPutMany extends MemoryStore {
  override async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    for (const [index, entry] of entries.entries()) {
      if (!OutboxEntrySchema.safeParse(entry).success) throw new StoreError('putMany', `entry ${index} is invalid`);
      await super.putMany([entry]);
    }
  }
}

/** load hands out the objects it keeps. */
class SharedLoad extends MemoryStore {
  readonly #kept = new Map<string, OutboxEntry>();
  override async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    await super.putMany(entries);
    for (const entry of structuredClone(entries)) this.#kept.set(entry.key, entry);
  }
  override async deleteMany(keys: readonly string[]): Promise<void> {
    await super.deleteMany(keys);
    for (const key of keys) this.#kept.delete(key);
  }
  override async load(): Promise<StoreContents> {
    const contents = await super.load();
    return { ...contents, entries: [...this.#kept.values()] };
  }
}

/** setMeta skips undefined values instead of removing them. */
class MetaIgnoresUndefined extends MemoryStore {
  override async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    await super.setMeta(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)));
  }
}

/** close throws the second time. */
class CloseNotIdempotent extends MemoryStore {
  #closed = false;
  override async close(): Promise<void> {
    if (this.#closed) throw new Error('already closed');
    this.#closed = true;
    await super.close();
  }
}

describe('the conformance suite', () => {
  it('passes every case for a correct store (MemoryStore)', async () => {
    const results = await runSuite(async () => ({ store: new MemoryStore() }));
    expect(results.size).toBeGreaterThan(30);
    expect(failures(results)).toEqual([]);
  });

  for (const [name, Store, promise] of [
    ['a putMany that is not all-or-nothing', NonAtomicPutMany, /stores nothing|nothing/i],
    ['a load that returns the objects it keeps', SharedLoad, /mutating|copies|changes nothing/i],
    ['a setMeta that ignores undefined (no removal)', MetaIgnoresUndefined, /undefined|remov/i],
    ['a close that throws when called twice', CloseNotIdempotent, /close/i],
  ] as const) {
    it(`fails at least one case, with a message naming the promise, for ${name}`, async () => {
      const failed = failures(await runSuite(async () => ({ store: new Store() })));
      expect(failed.length, `no case failed for ${name}`).toBeGreaterThan(0);
      expect(failed.some(([test, message]) => promise.test(`${test}\n${message}`)), JSON.stringify(failed, null, 1)).toBe(true);
    });
  }
});
