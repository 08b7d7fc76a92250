// The framing of a put line with a checksum, as this version writes every put line:
//
//   {"put":[<entry JSON>,<entry JSON>,…],"v":1,"crc":"<CRC-32 of everything before `,"v"`, 8 hex>"}
//
// Format version. `"v":1` is the line format's version, in the line, so that the line stays
// one JSON change and every reader can still read it:
// - a reader from before checksums parses the line, ignores the two unknown fields and
//   validates every entry as it always did: a journal written by this version opens there;
// - this reader, given a line of a version it does not know (say a later `"v":2`), or whose
//   checksum does not match, or that has none (journals written before checksums, a hand
//   edit), validates it fully, as before checksums: it loads if it is a valid change and is
//   quarantined otherwise. A later format that is not a JSON change with a `put`, `del` or
//   `meta` member would be quarantined here (with the line kept), never misread.
// Only put lines carry a checksum: `del` and `meta` lines are cheap to check in full and keep
// their plain form (`{"meta":{…}}`), byte for byte what earlier versions wrote.
//
// A torn or truncated line never passes: its checksum field is missing or cut, or the bytes
// before it are not the ones summed; such a line goes to full validation, where cut JSON does
// not parse and is quarantined (a torn last line is not even a line: it has no newline).
import { crc32 } from './crc32.js';
import { isStoredEntryShape } from '../entry-shape.js';

/** The version of the put line's format, written in each line. */
export const PUT_LINE_VERSION = 1;

const HEAD = '{"put":[';
const HEAD_BYTES = Buffer.from(HEAD);
/** Between the body (which ends with the entries' closing `]`) and the 8 hex digits. */
const FIELD = `,"v":${PUT_LINE_VERSION},"crc":"`;
const FIELD_BYTES = Buffer.from(FIELD);
/** `,"v":1,"crc":"` + 8 hex digits + `"}`. */
const SUFFIX_BYTES = FIELD.length + 8 + 2;

/** What a one-entry put line (a snapshot line) adds to its entry's JSON, newline included. */
export const PUT_LINE_OVERHEAD = HEAD.length + 1 + SUFFIX_BYTES + 1;

/** Where a put line's first entry starts; each next one starts one byte (a comma) after the one before it ends. */
export const PUT_LINE_FIRST_ENTRY = HEAD.length;

/**
 * The put line (with its newline) holding the entries whose JSON texts are `texts`, encoded to
 * UTF-8 once: the checksum is taken over these bytes, which are the ones written, and the
 * entries' bytes can be copied out of them (see `PUT_LINE_FIRST_ENTRY`). `textBytes`: the
 * texts' total UTF-8 bytes, when the caller has counted them already.
 */
export function encodePutLine(texts: readonly string[], textBytes?: number): Buffer {
  const inner = texts.length === 1 ? (texts[0] as string) : texts.join(',');
  const innerBytes = textBytes === undefined ? Buffer.byteLength(inner) : textBytes + Math.max(0, texts.length - 1);
  const bodyEnd = HEAD.length + innerBytes + 1;
  const line = Buffer.allocUnsafe(bodyEnd + SUFFIX_BYTES + 1);
  line.set(HEAD_BYTES, 0);
  if (line.write(inner, HEAD.length, innerBytes, 'utf8') !== innerBytes) throw new Error('put line: the texts are not the bytes counted');
  return closeLine(line, bodyEnd);
}

/** The one-entry put line (with its newline) of an entry whose JSON is `entry` (UTF-8 bytes): a snapshot line, built without decoding them. */
export function encodeSnapshotLine(entry: Uint8Array): Buffer {
  const bodyEnd = HEAD.length + entry.length + 1;
  const line = Buffer.allocUnsafe(bodyEnd + SUFFIX_BYTES + 1);
  line.set(HEAD_BYTES, 0);
  line.set(entry, HEAD.length);
  return closeLine(line, bodyEnd);
}

/** Writes, after a put line's entries (which end at `bodyEnd` - 1), the `]`, the version, the checksum of the bytes before and the newline. */
function closeLine(line: Buffer, bodyEnd: number): Buffer {
  line[bodyEnd - 1] = 0x5d; // ]
  line.set(FIELD_BYTES, bodyEnd);
  const sum = crc32(line.subarray(0, bodyEnd));
  for (let digit = 0, at = bodyEnd + FIELD_BYTES.length; digit < 8; digit++) line[at + digit] = HEX[(sum >>> (28 - 4 * digit)) & 0xf] as number;
  line[line.length - 3] = 0x22; // "
  line[line.length - 2] = 0x7d; // }
  line[line.length - 1] = 0x0a; // newline
  return line;
}

/** The lowercase hex digits' bytes. */
const HEX = Buffer.from('0123456789abcdef');

/** The put line (with its newline) holding the entries whose JSON texts are `texts`, as a string. */
export function putLine(texts: readonly string[]): string {
  return encodePutLine(texts).toString('utf8');
}

/** Bytes of `putLine(texts)` without its newline, from the texts' total UTF-8 bytes and their count. */
export function putLineBytes(textBytes: number, count: number): number {
  return HEAD.length + textBytes + Math.max(0, count - 1) + 1 + SUFFIX_BYTES;
}

/** A checksummed put line read back: each entry's parsed value, its key and its JSON. */
export interface CheckedPut {
  readonly entries: readonly object[];
  readonly keys: readonly string[];
  /** Each entry's JSON: bytes of the line (valid only as long as the line's buffer is) or a string. */
  readonly texts: ReadonlyArray<Uint8Array | string>;
}

/**
 * The entries of `bytes` (one line, newline excluded) when it is a put line as `putLine` writes
 * it and its checksum holds; undefined otherwise, and the line then takes the full validation
 * path (`checksum`: `checksumOf(bytes)`, when the caller has it already). A matching checksum says these are the bytes `putMany` wrote after checking every entry
 * against the schema, so the schema does not run again: a hand-written shape check
 * (`isStoredEntryShape`, a fraction of its cost) confirms each entry is exactly what the schema
 * gives back, so that a line crafted with a recomputed checksum still cannot load a value the
 * schema refuses (it goes to full validation and quarantine). Two things send a line to full validation
 * even with a good checksum, so that a hand-made line with a recomputed checksum cannot smuggle
 * in a `__proto__` key (spelled out or escaped): the text `__proto__`, which the writer never
 * produces, and any `\u` escape (the writer produces one only for a control character or a lone
 * surrogate in a record, rare enough to be checked in full).
 */
export function readCheckedPut(bytes: Buffer, checksum = checksumOf(bytes)): CheckedPut | undefined {
  if (checksum !== 'holds') return undefined;
  const bodyEnd = bytes.length - SUFFIX_BYTES;
  if (bytes.indexOf('__proto__') >= 0 || bytes.indexOf('\\u') >= 0) return undefined;
  // The entries: the line's own `[…]`, parsed once whether it holds one entry (every snapshot line) or several.
  const innerBytes = bytes.subarray(HEAD.length, bodyEnd - 1);
  const entries = parseEntries(bytes.toString('utf8', HEAD.length - 1, bodyEnd));
  if (entries === undefined) return undefined;
  const keys: string[] = [];
  for (const entry of entries) {
    // Exactly what the schema gives back, or the whole line goes to the schema: a checksum says
    // the bytes were not damaged, not that whoever summed them checked them.
    if (!isStoredEntryShape(entry)) return undefined;
    keys.push(entry.key);
  }
  // Several entries: each re-encoded, which gives back the bytes written (JSON.stringify of its own output is the same text).
  const texts = entries.length === 1 ? [innerBytes] : entries.map((entry) => JSON.stringify(entry));
  return { entries: entries as object[], keys, texts };
}

/**
 * Whether `bytes` (one line, newline excluded) is framed as a checksummed put line and its
 * checksum holds (`holds`), is framed so but its checksum does not match its bytes (`fails`: the
 * line was damaged or edited), or is not framed so (`none`: an older line, or damage to the frame).
 */
export function checksumOf(bytes: Buffer): 'holds' | 'fails' | 'none' {
  const length = bytes.length;
  const bodyEnd = length - SUFFIX_BYTES;
  if (bodyEnd < HEAD.length + 1 || bytes[length - 1] !== 0x7d || bytes[length - 2] !== 0x22 || bytes[bodyEnd - 1] !== 0x5d) return 'none';
  if (bytes.compare(HEAD_BYTES, 0, HEAD_BYTES.length, 0, HEAD_BYTES.length) !== 0) return 'none';
  if (bytes.compare(FIELD_BYTES, 0, FIELD_BYTES.length, bodyEnd, bodyEnd + FIELD_BYTES.length) !== 0) return 'none';
  const sum = hexAt(bytes, length - 10);
  if (sum === undefined) return 'none';
  return crc32(bytes.subarray(0, bodyEnd)) === sum ? 'holds' : 'fails';
}

/** The values of `list`, a put line's `[…]` of entries; undefined if it is not a JSON array of at least one. */
function parseEntries(list: string): unknown[] | undefined {
  try {
    const values: unknown = JSON.parse(list);
    return Array.isArray(values) && values.length > 0 ? values : undefined;
  } catch {
    return undefined;
  }
}

/** The number written as 8 lowercase hex digits at `at`, or undefined. */
function hexAt(bytes: Buffer, at: number): number | undefined {
  let value = 0;
  for (let index = at; index < at + 8; index++) {
    const byte = bytes[index] as number;
    const digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1;
    if (digit < 0) return undefined;
    value = value * 16 + digit;
  }
  return value;
}
