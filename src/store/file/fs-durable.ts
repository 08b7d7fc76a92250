import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Flushes a directory's entry table, so a rename or a new file in it survives a power cut. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `text` so that a crash at any point leaves either the old file or the
 * new one, whole: write a temp file → fsync → rename over → fsync the directory.
 */
export async function replaceFileDurably(path: string, text: string, mode = 0o600): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  await fsyncDirectory(dirname(path));
}
