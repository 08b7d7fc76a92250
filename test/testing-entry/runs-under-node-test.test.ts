// The testing entry under node:test's own describe/it: `node --import tsx --test` on
// node-test-runner.ts runs every test of the suite against MemoryStore (the durability ones
// skipped: it does not survive close), and fails, naming the promise, against a broken store.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { collectConformanceCases } from './collect-cases.js';

const FILE = fileURLToPath(new URL('./node-test-runner.ts', import.meta.url));

/** Runs the node:test file; resolves with its exit code and TAP output. */
function runNodeTest(env: Record<string, string> = {}): Promise<{ code: number | null; tap: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', FILE], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tap = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (tap += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (tap += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, tap }));
  });
}

/** The `# tests`, `# pass`, … totals at the end of node:test's TAP output. */
function totals(tap: string): Record<string, number> {
  return Object.fromEntries([...tap.matchAll(/^# (tests|pass|fail|skipped|cancelled) (\d+)$/gm)].map((match) => [match[1], Number(match[2])]));
}

const cases = collectConformanceCases(async () => ({ store: new MemoryStore() }));
const durable = cases.filter((testCase) => testCase.name.includes(' > durability (')).length;

describe('the conformance suite under node:test', () => {
  it('runs every test against MemoryStore, all passing but the durability ones, which it skips', async () => {
    const { code, tap } = await runNodeTest();
    expect(durable).toBe(7);
    expect(totals(tap), tap).toEqual({ tests: cases.length, pass: cases.length - durable, fail: 0, skipped: durable, cancelled: 0 });
    expect(code).toBe(0);
  });

  it('fails against a store whose putMany drops the last entry, with the broken promise in the output', async () => {
    const { code, tap } = await runNodeTest({ BROKEN_STORE: 'drops-last-entry' });
    expect(code).toBe(1);
    expect(totals(tap).fail).toBeGreaterThan(0);
    expect(tap).toContain('load should return every entry putMany stored, every field equal');
    expect(tap).toContain('at entries: expected 3 items, got 2 (missing key "0123456789abcdef0123456789abcdef:c")');
  });
});
