// Shared by the FileStore tests: fresh temp directories (removed after each test), readers for
// the files a store leaves on disk, and the error-catching helper the specifications use.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export { bareEntry, fullEntry } from '../store/conformance.js';

/** The project of the fixture entries (`bareEntry`, `fullEntry`). */
export const PROJECT = '0123456789abcdef0123456789abcdef';

/** Returns `tempDir()`, which makes a fresh empty directory; all are removed after each test. */
export function useTempDirs(): (label?: string) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (label = 'store') => {
    const dir = await mkdtemp(join(tmpdir(), `wks-file-store-${label}-`));
    made.push(dir);
    return dir;
  };
}

/** The complete lines of a file (the text after the last newline is not a line). */
export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

/** What a promise rejected with (fails the test if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** A seeded PRNG (the mock's own mulberry32), so "random" moments are the same on every run. */
export { mulberry32 as seededRandom } from '../../src/mock/faults.js';
