// How the suite's cases become tests of whatever runner the caller passes: every case opens a
// fresh store, and closes and cleans up what it opened itself (no hooks: runners differ there).
import type { QueueStore } from '../store/QueueStore.js';

/** What a store's test file hands the suite: a fresh, empty store per test. */
export interface StoreUnderTest {
  /** The store, fresh and empty. */
  store: QueueStore;
  /**
   * Opens the same storage again, after the suite closed `store`. Absent: the store does not
   * survive close, and the durability cases are skipped (or pass unchecked on runners that
   * cannot skip from inside a test, like jest).
   */
  reopen?: () => Promise<QueueStore>;
  /** Removes whatever the store left behind (files, databases); called after the stores are closed. */
  cleanup?: () => Promise<void>;
}

/**
 * The test functions of the caller's runner: vitest's, jest's, mocha's, or `node:test`'s
 * `describe` and `it` all fit.
 */
export interface ConformanceRunner {
  /** Groups tests under a name. */
  describe(name: string, body: () => void): unknown;
  /** Defines one test; `body` returns a promise that rejects when the store breaks the promise named. */
  it(name: string, body: () => Promise<void>): unknown;
}

/** What a case gets: the store under test, and a way to close it and open its storage again. */
export interface Session {
  /** The store under test (after `reopen`, the reopened one). */
  readonly store: QueueStore;
  /** Closes the store and opens the same storage again. */
  reopen(): Promise<QueueStore>;
}

/** One promise of the contract. */
export interface ConformanceCase {
  /** The promise, as a test name. */
  name: string;
  /** True when the case needs `reopen` (skipped for stores without it). */
  durable?: boolean;
  run(session: Session): Promise<void> | void;
}

/** Cases under one name (`undefined`: directly under the suite). */
export interface CaseGroup {
  name?: string;
  cases: ConformanceCase[];
}

/** Defines `groups` as tests of `runner` against the stores `open` returns. */
export function defineCases(runner: ConformanceRunner, groups: readonly CaseGroup[], open: () => Promise<StoreUnderTest>): void {
  for (const group of groups) {
    const define = (): void => {
      for (const testCase of group.cases) {
        // A `function` with no declared parameter: jest treats a test function with one as
        // callback-style, and mocha hands its context (with `skip`) as `this`.
        runner.it(testCase.name, function (this: unknown, ...args: unknown[]) {
          return runCase(open, testCase, [args[0], this]);
        });
      }
    };
    if (group.name === undefined) define();
    else runner.describe(group.name, define);
  }
}

async function runCase(open: () => Promise<StoreUnderTest>, testCase: ConformanceCase, contexts: unknown[]): Promise<void> {
  const subject = await open();
  const opened = [subject.store];
  let current = subject.store;
  try {
    const { reopen } = subject;
    if (testCase.durable && !reopen) {
      skip(contexts, 'this store does not survive close (no reopen)');
      return;
    }
    await testCase.run({
      get store() {
        return current;
      },
      async reopen() {
        await current.close();
        current = await reopen!();
        opened.push(current);
        return current;
      },
    });
  } finally {
    for (const store of opened) await store.close().catch(() => undefined);
    await subject.cleanup?.();
  }
}

/** Skips the running test where the runner can (vitest's and node:test's context, mocha's `this`). */
function skip(contexts: readonly unknown[], reason: string): void {
  const context = contexts.find((candidate) => typeof (candidate as { skip?: unknown } | undefined)?.skip === 'function') as { skip(reason: string): void } | undefined;
  context?.skip(reason);
}
