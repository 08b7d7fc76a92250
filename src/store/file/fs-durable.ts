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

/** Pieces are written in batches of about this many characters or bytes (no huge buffer is ever built). */
const WRITE_BATCH = 2 ** 20;

/** Writes every piece of `content` (text, or bytes written as they are), in batches; returns the bytes written. */
async function writePieces(handle: FileHandle, content: string | Iterable<string | Uint8Array>): Promise<number> {
  let bytes = 0;
  let batch: Uint8Array[] = [];
  let batched = 0;
  const flush = async () => {
    const buffer = Buffer.concat(batch);
    batch = [];
    batched = 0;
    for (let offset = 0; offset < buffer.length; ) offset += (await handle.write(buffer, offset)).bytesWritten;
    bytes += buffer.length;
  };
  for (const piece of typeof content === 'string' ? [content] : content) {
    batch.push(typeof piece === 'string' ? Buffer.from(piece) : piece);
    batched += piece.length;
    if (batched >= WRITE_BATCH) await flush();
  }
  await flush();
  return bytes;
}

/**
 * Replaces `path` with `content` (a string, or pieces such as lines) so that a crash at any point
 * leaves either the old file or the new one, whole: write a temp file → fsync → rename over →
 * fsync the directory.
 *
 * Returns an append-mode handle on the NEW file, opened before the rename, and its size: the
 * handle follows the file's inode, so whoever appends through it can never write into the
 * replaced (unlinked) file, whatever fails after the rename. If the rename itself fails, the temp
 * file is removed and the old file is untouched. A failed directory fsync after the rename is
 * reported through `onDirectorySyncError` (the new file is in place; only its survival of a
 * power cut right now is in doubt).
 */
export async function replaceFileDurably(
  path: string,
  content: string | Iterable<string | Uint8Array>,
  onDirectorySyncError: (error: unknown) => void,
  mode = 0o600,
): Promise<{ handle: FileHandle; bytes: number }> {
  const temp = `${path}.tmp`;
  // Append mode (on a fresh file): later writes land at the end even after a truncate.
  await unlink(temp).catch(() => undefined);
  const handle = await open(temp, 'a', mode);
  let bytes: number;
  try {
    bytes = await writePieces(handle, content);
    await handle.sync();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path)).catch(onDirectorySyncError);
  return { handle, bytes };
}
