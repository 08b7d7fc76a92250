// wks-mail-outbox/testing: the QueueStore conformance suite, for anyone writing a store. Runs
// under any runner with `describe`/`it` (vitest, jest, mocha, node:test), in Node and in
// browsers: no test framework, no `node:` import, no DOM global.
import { fixtureCases, loadCases, putManyCases } from './testing/load-and-put-cases.js';
import { deleteManyCases, setMetaCases } from './testing/delete-and-meta-cases.js';
import { closeCases, copyCases, stringCases } from './testing/copy-string-close-cases.js';
import { durabilityCases } from './testing/durability-cases.js';
import { defineCases, type ConformanceRunner, type StoreUnderTest } from './testing/harness.js';

export type { ConformanceRunner, StoreUnderTest } from './testing/harness.js';
export { FIXTURE_PROJECT_ID, bareEntry, fullEntry } from './testing/fixtures.js';

/**
 * Defines, with the caller's `describe` and `it`, one test per promise of the `QueueStore`
 * interface, under "`name` keeps the QueueStore contract". A test fails with an `Error` whose
 * message names the promise the store broke and the first difference found.
 *
 * @param name the store's name, in the test names.
 * @param open returns a fresh, empty store for each test (closed by the suite), with `reopen`
 *   when the store is durable (then the durability promises run too) and `cleanup` to remove
 *   what it leaves behind.
 * @param runner the runner's test functions.
 * @example
 * ```ts
 * import { describe, it } from 'vitest'; // or 'node:test', or jest's globals
 * import { describeQueueStoreConformance } from 'wks-mail-outbox/testing';
 *
 * describeQueueStoreConformance('MyStore', async () => ({ store: new MyStore() }), { describe, it });
 * ```
 */
export function describeQueueStoreConformance(name: string, open: () => Promise<StoreUnderTest>, runner: ConformanceRunner): void {
  runner.describe(`${name} keeps the QueueStore contract`, () => {
    defineCases(
      runner,
      [fixtureCases, loadCases, putManyCases, deleteManyCases, setMetaCases, copyCases, stringCases, closeCases, durabilityCases],
      open,
    );
  });
}
