// A FileStore's journal as a test writes or reads it: journal lines made by hand, the complete
// lines of a file, and what a fresh store loads from a directory.
import { readFile } from 'node:fs/promises';
import { FileStore } from '../../src/node.js';
import type { OutboxEntry } from '../../src/index.js';
import { keysOf } from './store-entries.js';

/** A journal line that puts `entries` (anything: tests also write invalid ones). */
export const putLine = (...entries: unknown[]): string => JSON.stringify({ put: entries });

/** A journal line that deletes `entries` by key. */
export const delLine = (...entries: OutboxEntry[]): string => JSON.stringify({ del: entries.map((entry) => entry.key) });

/** The complete lines of a file (the text after the last newline is not a line); none if it does not exist. */
export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const lines = text.split('\n');
  lines.pop();
  return lines;
}

/** What a fresh FileStore over `dir` loads (keys sorted) and the problems it reports; closes it. */
export async function reopenedKeys(dir: string): Promise<{ keys: string[]; problems: string[] }> {
  const store = new FileStore({ dir });
  const { entries, problems = [] } = await store.load();
  await store.close();
  return { keys: keysOf(entries), problems };
}
