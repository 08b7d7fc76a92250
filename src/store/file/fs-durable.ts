import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
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
 *
 * Returns an append-mode handle on the NEW file, opened before the rename: it
 * follows the file's inode, so whoever appends through it can never write into the replaced
 * (unlinked) file, whatever fails after the rename. If the rename itself fails, the temp file is
 * removed and the old file is untouched. A failed directory fsync after the rename is reported
 * through `onDirectorySyncError` (the new file is in place; only its survival of a power cut
 * right now is in doubt).
 */
export async function replaceFileDurably(
  path: string,
  text: string,
  onDirectorySyncError: (error: unknown) => void,
  mode = 0o600,
): Promise<FileHandle> {
  const temp = `${path}.tmp`;
  // Append mode (on a fresh file): later writes land at the end even after a truncate.
  await unlink(temp).catch(() => undefined);
  const handle = await open(temp, 'a', mode);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path)).catch(onDirectorySyncError);
  return handle;
}
