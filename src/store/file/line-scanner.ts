import type { FileHandle } from 'node:fs/promises';

/** A complete line (newline excluded). `bytes` is valid only during the call that receives it. */
export interface ScannedLine {
  /** 1-based. */
  readonly number: number;
  readonly bytes: Buffer;
}

/** A complete line longer than the maximum: only its first bytes were kept. */
export interface OverlongLine {
  readonly number: number;
  /** Its first `prefixBytes` bytes, or `maxLineBytes` if fewer (raw: may end inside a character). */
  readonly prefix: Buffer;
  /** Its whole length in bytes, newline excluded. */
  readonly bytes: number;
}

export interface LineSink {
  line(line: ScannedLine): void | Promise<void>;
  overlong(line: OverlongLine): void | Promise<void>;
}

export interface ScanOptions {
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  readonly prefixBytes: number;
}

/** Where the complete lines end, and how long the file is (more: a torn tail after the last newline). */
export interface ScanEnd {
  readonly goodLength: number;
  readonly fileLength: number;
}

/**
 * Reads a file by lines, in chunks of `chunkBytes` through `handle` (any size of file: nothing
 * holds it whole), handing each complete line to `sink`. Memory stays bounded by the longest
 * allowed line: a line longer than `maxLineBytes` is not gathered, only its first
 * `prefixBytes` are kept while the rest is skipped up to its newline. Bytes after the last
 * newline (a torn write) are not a line. UTF-8 never puts 0x0A inside a multi-byte character,
 * so splitting on bytes is safe.
 */
export async function scanLines(handle: FileHandle, sink: LineSink, options: ScanOptions): Promise<ScanEnd> {
  const chunk = Buffer.allocUnsafe(options.chunkBytes);
  let position = 0;
  let goodLength = 0;
  let number = 0;
  // The current line so far, when it straddles chunks (copies: the chunk buffer is reused).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Set once the current line is over-long: its kept prefix and its length so far.
  let overlong: { prefix: Buffer; bytes: number } | undefined;

  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) return { goodLength, fileLength: position };
    const view = chunk.subarray(0, bytesRead);
    for (let start = 0; start < bytesRead; ) {
      const newline = view.indexOf(0x0a, start);
      const end = newline < 0 ? bytesRead : newline;
      const piece = view.subarray(start, end);
      if (overlong) {
        overlong.bytes += piece.length;
      } else if (pendingBytes + piece.length > options.maxLineBytes) {
        // Copies only the prefix's bytes out of what was gathered (all there: it is not longer than a line).
        const prefix = Buffer.concat([...pending, piece], Math.min(options.prefixBytes, options.maxLineBytes));
        overlong = { prefix, bytes: pendingBytes + piece.length };
        pending = [];
        pendingBytes = 0;
      } else if (newline < 0) {
        pending.push(Buffer.from(piece));
        pendingBytes += piece.length;
      }
      if (newline < 0) break;

      number++;
      if (overlong) {
        const done = sink.overlong({ number, prefix: overlong.prefix, bytes: overlong.bytes });
        overlong = undefined;
        if (done) await done;
      } else {
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        const done = sink.line({ number, bytes });
        if (done) await done;
      }
      goodLength = position + newline + 1;
      start = newline + 1;
    }
    position += bytesRead;
  }
}
