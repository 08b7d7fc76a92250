// The bounds that let any journal be opened, whatever it holds: how long a line may be, how deep
// a change may nest, how much of a refused line is kept, and how much is read at a time.

/**
 * The longest journal line (without its newline) that is read back: 64 MiB. `putMany`,
 * `deleteMany` and `setMeta` refuse a change whose line would be longer, so the store never
 * writes a line it would not read; a longer line found on open (a hand edit, a crafted file) is
 * quarantined by its first `QUARANTINED_PREFIX_BYTES` and skipped without being held in memory.
 * Far above what the outbox writes (records and bounded server text are a few KiB per entry),
 * far below V8's string limit (~512 Mi characters).
 */
export const MAX_LINE_BYTES = 64 * 2 ** 20;

/** How many bytes of an over-long line go to quarantine (cut at a character boundary). */
export const QUARANTINED_PREFIX_BYTES = 4096;

/**
 * The deepest nesting of objects and arrays a change may have. What the store writes nests 4
 * deep (`{"put":[{"record":{…}}]}`); a deeper line is hand-made and quarantined, checked without
 * recursion, so no line can overflow the stack.
 */
export const MAX_DEPTH = 16;

/** Bytes read from the journal at a time while it is replayed. */
export const READ_CHUNK_BYTES = 2 ** 20;
