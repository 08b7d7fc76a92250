import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Returns `tempDir(label)`, which makes a fresh empty directory under the OS temp dir. All of them
 * are removed after each test, or after the file with `scope: 'file'` (for files whose scenarios
 * run concurrently).
 */
export function useTempDirs(scope: 'test' | 'file' = 'test'): (label?: string) => Promise<string> {
  const made: string[] = [];
  (scope === 'test' ? afterEach : afterAll)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (label = 'store') => {
    const dir = await mkdtemp(join(tmpdir(), `wks-mail-outbox-${label}-`));
    made.push(dir);
    return dir;
  };
}
