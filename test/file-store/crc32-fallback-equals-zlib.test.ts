// The journal's checksum is zlib's CRC-32. Where `zlib.crc32` is missing (Node before 20.15,
// Deno, Bun), a table-driven JavaScript CRC-32 of the same polynomial takes its place: it must
// give the very same values, or a journal written under one runtime would be fully re-validated
// (or, worse, misjudged) under the other.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mulberry32 as seededRandom } from '../../src/mock/faults.js';
import { crc32, jsCrc32 } from '../../src/store/file/crc32.js';

const native = (zlib as { crc32?: (data: Uint8Array | string, value?: number) => number }).crc32;

describe('the JavaScript CRC-32 fallback', () => {
  it.skipIf(typeof native !== 'function')('equals zlib.crc32 on 2,000 random byte strings (0 to 4,096 bytes), strings with any characters, and continued sums', () => {
    const zlibCrc32 = native as NonNullable<typeof native>;
    const random = seededRandom(11);
    for (let round = 0; round < 2000; round++) {
      const length = round < 64 ? round : Math.floor(random() * 4097);
      const bytes = Buffer.alloc(length);
      for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
      expect(jsCrc32(bytes), `bytes of length ${length}`).toBe(zlibCrc32(bytes));
      // Continued from a previous value (a running sum), as zlib.crc32(data, value) does.
      const value = Math.floor(random() * 2 ** 32);
      expect(jsCrc32(bytes, value)).toBe(zlibCrc32(bytes, value));
    }
    for (const text of ['', 'a', '{"put":[]}', 'é', '記録-😀', '\u0000\uffff', 'ß€😀'.repeat(300), '\ud800 a lone surrogate']) {
      expect(jsCrc32(text), JSON.stringify(text)).toBe(zlibCrc32(text));
      expect(jsCrc32(Buffer.from(text))).toBe(zlibCrc32(text));
    }
  });

  it('gives the standard check value (CRC-32 of "123456789" is cbf43926), as does the one the store uses', () => {
    expect(jsCrc32('123456789')).toBe(0xcbf43926);
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(jsCrc32(new Uint8Array(0))).toBe(0);
  });
});
