import { open } from 'node:fs/promises';
import { MAX_LINE_BYTES, QUARANTINED_PREFIX_BYTES, READ_CHUNK_BYTES } from './journal-limits.js';
import type { OutboxEntry } from '../entry.js';
import { applyLine } from './journal-format.js';
import { scanLines } from './line-scanner.js';
import { LiveSet } from './live-set.js';
import { checksumOf, readCheckedPut } from './put-line.js';

/** A line that could not be read, for quarantine. */
export interface CorruptLine {
  /** 1-based line number. */
  readonly line: number;
  readonly why: string;
  /** The line's text; for an over-long line, only its first bytes (see `cut`). */
  readonly text: string;
  /** Set when `text` is a prefix of the line: the line's length and how many bytes are kept. */
  readonly cut?: { readonly bytes: number; readonly kept: number };
}

export interface ReadJournalOptions {
  /** Receives each line that cannot be read (awaited when it returns a promise). */
  readonly onCorrupt: (line: CorruptLine) => void | Promise<void>;
  /** @default READ_CHUNK_BYTES */
  readonly chunkBytes?: number;
  /** @default MAX_LINE_BYTES */
  readonly maxLineBytes?: number;
}

/** What replaying a journal gives. */
export interface Replayed {
  readonly live: LiveSet;
  /** Byte length of the complete lines; a longer file has a torn tail to cut. */
  readonly goodLength: number;
  readonly fileLength: number;
  /** Complete non-blank lines, and those of them that put entries. */
  readonly lines: number;
  readonly putLines: number;
  /** Put lines read by full validation, not by their checksum (written before checksums, or damaged). */
  readonly uncheckedPutLines: number;
  /** Line numbers of the lines handed to `onCorrupt`. */
  readonly corrupt: readonly number[];
  /** Line numbers of put lines whose checksum did not match but that were valid in full, and loaded. */
  readonly mismatched: readonly number[];
}

/**
 * Replays the journal at `path` line by line (streamed: any size, memory bounded by the longest
 * allowed line). Never fails on content: what cannot be read goes to `onCorrupt`. Resolves
 * undefined when there is no journal yet.
 */
export async function readJournal(path: string, options: ReadJournalOptions): Promise<Replayed | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const live = new LiveSet();
  const corrupt: number[] = [];
  const mismatched: number[] = [];
  let lines = 0;
  let putLines = 0;
  let uncheckedPutLines = 0;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const quarantine = (bad: CorruptLine) => {
    corrupt.push(bad.line);
    return options.onCorrupt(bad);
  };
  try {
    const end = await scanLines(
      handle,
      {
        line({ number, bytes }) {
          // A put line whose checksum holds is what putMany checked and wrote: applied as it is.
          const checksum = checksumOf(bytes);
          const checked = readCheckedPut(bytes, checksum);
          if (checked) {
            lines++;
            putLines++;
            for (let index = 0; index < checked.keys.length; index++) {
              live.put(checked.keys[index] as string, checked.texts[index] as Uint8Array | string, checked.entries[index] as OutboxEntry);
            }
            return undefined;
          }
          // Any other line is checked in full (journals from before checksums, hand edits, damage).
          const text = bytes.toString('utf8');
          if (text.trim() === '') return undefined;
          lines++;
          const outcome = applyLine(text, live);
          if ('why' in outcome) return quarantine({ line: number, why: outcome.why, text });
          if (outcome.kind === 'put') {
            putLines++;
            // Without a checksum that holds: a rewrite gives it one. (A line whose checksum holds
            // but that is checked in full anyway, for a `\u` escape, would be written the same again.)
            if (checksum !== 'holds') uncheckedPutLines++;
            if (checksum === 'fails') mismatched.push(number);
          }
          return undefined;
        },
        overlong({ number, prefix, bytes }) {
          lines++;
          const kept = wholeCharacters(prefix);
          return quarantine({ line: number, why: `line longer than ${maxLineBytes} bytes`, text: kept.toString('utf8'), cut: { bytes, kept: kept.length } });
        },
      },
      { chunkBytes: options.chunkBytes ?? READ_CHUNK_BYTES, maxLineBytes, prefixBytes: QUARANTINED_PREFIX_BYTES },
    );
    return { live, ...end, lines, putLines, uncheckedPutLines, corrupt, mismatched };
  } finally {
    await handle.close();
  }
}

/** `bytes` without a UTF-8 character cut at its end. */
function wholeCharacters(bytes: Buffer): Buffer {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes;
  const first = bytes[lead] as number;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + length > bytes.length ? bytes.subarray(0, lead) : bytes;
}
