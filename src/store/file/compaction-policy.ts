// When the journal is rewritten as a snapshot of the live data (see FileStore's compaction).

/** Line slack: compact once the journal holds more than 2 × live entries + this many lines. */
export const DEFAULT_COMPACT_SLACK = 1000;

/**
 * Byte slack: compact once the journal holds more than 2 × the live data's bytes + this much,
 * whatever its line count (a few hundred lines of big error bodies must not fill the disk).
 */
export const COMPACT_SLACK_BYTES = 8 * 2 ** 20;

/** What the journal holds now. */
export interface JournalShape {
  /** Its size in bytes. */
  readonly bytes: number;
  /** Its non-blank lines. */
  readonly lines: number;
  /** Its lines that hold entries (`put` lines): the ones with records' personal data. */
  readonly putLines: number;
}

/** What a snapshot of the live data would hold. */
export interface LiveShape {
  readonly entries: number;
  /** Bytes of the snapshot (an estimate between compactions). */
  readonly bytes: number;
}

/**
 * True when the journal should be rewritten as a snapshot:
 * - the queue is empty but the journal still holds entries: delivered (or purged) records'
 *   personal data does not linger on disk once a drain empties the queue (the rewrite is cheap:
 *   an empty file, or the meta line);
 * - it holds more than 2 × live entries + `slackLines` lines;
 * - it holds more than 2 × the live bytes + `COMPACT_SLACK_BYTES` bytes.
 * So while the queue is never empty, data of delivered records stays at most until the journal
 * passes one of the two bounds: about 2 × the live data + 8 MiB, or 2 × live entries + slack lines.
 */
export function needsCompaction(journal: JournalShape, live: LiveShape, slackLines: number): boolean {
  if (live.entries === 0 && journal.putLines > 0) return true;
  return journal.lines > 2 * live.entries + slackLines || journal.bytes > 2 * live.bytes + COMPACT_SLACK_BYTES;
}
