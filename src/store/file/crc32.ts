// CRC-32 (the zlib/PNG/gzip one: reflected polynomial 0xEDB88320) of a journal line's bytes.
// Node ≥ 20.15 has it natively as `zlib.crc32`; Deno and Bun (which run the FileStore too) may
// not, so a small table-driven version of the same polynomial stands in, with the same values.
import * as zlib from 'node:zlib';

/** A CRC-32 function: of `data` (a string counts as its UTF-8 bytes), continuing from `value`. */
export type Crc32 = (data: Uint8Array | string, value?: number) => number;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const encoder = new TextEncoder();

/** The table-driven CRC-32 used where `zlib.crc32` is missing (exported for the test that compares them). */
export const jsCrc32: Crc32 = (data, value = 0) => {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const t = crcTable();
  let c = ~value >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
};

// A namespace import: a named import of a missing export would fail to link where it is absent.
const native = (zlib as { crc32?: unknown }).crc32;

/** CRC-32 of `data`: `zlib.crc32` when the runtime has it, else `jsCrc32` (same values). */
export const crc32: Crc32 = typeof native === 'function' ? (native as Crc32) : jsCrc32;
