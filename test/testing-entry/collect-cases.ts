// The smallest runner with `describe`/`it`: it collects the suite's tests so a test can count
// them and run them itself (the proof that a store which breaks a promise fails, and how).
import { describeQueueStoreConformance, type StoreUnderTest } from '../../src/testing.js';

/** One collected test: its full name (suite names joined by " > ") and its body. */
export interface CollectedCase {
  name: string;
  run: () => Promise<void>;
}

/** The suite's tests for the stores `open` returns, without running them. */
export function collectConformanceCases(open: () => Promise<StoreUnderTest>): CollectedCase[] {
  const cases: CollectedCase[] = [];
  const path: string[] = [];
  describeQueueStoreConformance('Store', open, {
    describe(name, body) {
      path.push(name);
      body();
      path.pop();
    },
    it(name, body) {
      cases.push({ name: [...path, name].join(' > '), run: body });
    },
  });
  return cases;
}

/** Runs every case; returns the failures by test name (the error message) and how many passed. */
export async function runCollected(cases: readonly CollectedCase[]): Promise<{ passed: number; failures: Map<string, string> }> {
  const failures = new Map<string, string>();
  let passed = 0;
  for (const testCase of cases) {
    try {
      await testCase.run();
      passed++;
    } catch (error) {
      failures.set(testCase.name, error instanceof Error ? error.message : String(error));
    }
  }
  return { passed, failures };
}
