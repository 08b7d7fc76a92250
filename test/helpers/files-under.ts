import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The text (bytes as latin1) of every file under `dir`, recursively, by path relative to `dir`. */
export async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'latin1'));
  }
  return files;
}
