// putMany encodes each put line to UTF-8 once: the checksum is taken over those bytes, the same
// bytes are written (several changes of a group commit copied into one write), and the live set
// copies each entry's bytes out of byte ranges of the line. So an entry's byte range must be
// exact whatever characters come before it (multi-byte ones shift every later offset), the
// checksum must hold over the bytes on disk, and the JavaScript CRC-32 (Deno, Bun) must give the
// same line as zlib's.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileStore, type OutboxEntry } from '../../src/node.js';
import { OutboxEntrySchema } from '../../src/store/entry.js';
import { crc32, jsCrc32 } from '../../src/store/file/crc32.js';
import { encodePutLine, encodeSnapshotLine, readCheckedPut } from '../../src/store/file/put-line.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
afterEach(() => {
  vi.restoreAllMocks();
  vi.doUnmock('node:zlib');
  vi.resetModules();
});

const FIELD = Buffer.from(',"v":1,"crc":"');
const bySeq = (entries: readonly OutboxEntry[]) => [...entries].sort((a, b) => a.seq - b.seq);

/** The journal's lines as bytes (newline excluded). */
async function lineBytes(path: string): Promise<Buffer[]> {
  const bytes = await readFile(path);
  const lines: Buffer[] = [];
  for (let start = 0, end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) lines.push(bytes.subarray(start, end));
  return lines;
}

/** The line as the format says it is written, built by hand from strings. */
function expectedLine(texts: readonly string[]): Buffer {
  const body = Buffer.from(`{"put":[${texts.join(',')}]`);
  return Buffer.concat([body, Buffer.from(`,"v":1,"crc":"${jsCrc32(body).toString(16).padStart(8, '0')}"}\n`)]);
}

describe('a put line encoded once', () => {
  it('keeps every entry exact (multi-byte characters, a lone surrogate) in memory, on disk and after a reopen, in a group commit too', async () => {
    const dir = await tempDir('encoded-once');
    const many = [
      bareEntry('記録-😀', { seq: 1, record: { id: '記録-😀', error_msg: 'é'.repeat(300) } }),
      bareEntry('lone', { seq: 2, record: { id: 'lone', error_msg: `half \ud800 a pair, and 𝄞` } }),
      fullEntry('ascii-after-them', 3),
    ];
    const singles = Array.from({ length: 5 }, (_, index) => bareEntry(`ß-${index}-€`, { seq: 10 + index }));
    const store = new FileStore({ dir });
    await store.load();
    const writes = vi.spyOn(Buffer, 'concat');
    // Queued together: one group, one write of all their lines.
    await Promise.all([store.putMany(many), ...singles.map((entry) => store.putMany([entry])), store.setMeta({ gate: 3 })]);
    expect(writes, 'the group was merged into one buffer').toHaveBeenCalledTimes(1);
    writes.mockRestore();
    // Read back from the live set's copies of the line's bytes.
    const written = [...many, ...singles];
    expect(bySeq((await store.load()).entries)).toEqual(written);
    await store.close();

    const lines = await lineBytes(store.journalPath);
    expect(lines).toHaveLength(1 + singles.length + 1);
    for (const line of lines.slice(0, -1)) {
      const bodyEnd = line.lastIndexOf(FIELD);
      const sum = Number.parseInt(line.toString('latin1', bodyEnd + FIELD.length, bodyEnd + FIELD.length + 8), 16);
      expect(crc32(line.subarray(0, bodyEnd))).toBe(sum);
      expect(jsCrc32(line.subarray(0, bodyEnd))).toBe(sum);
    }
    expect(lines[0]?.toString('utf8')).toContain('\\ud800'); // JSON escapes it: no invalid UTF-8 on disk
    expect(readCheckedPut(lines[1] as Buffer)?.keys).toEqual([singles[0]?.key]);

    const checks = vi.spyOn(OutboxEntrySchema, 'safeParse');
    const reopened = new FileStore({ dir });
    const { entries, meta, problems = [] } = await reopened.load();
    await reopened.close();
    expect(bySeq(entries)).toEqual(written);
    expect(meta).toEqual({ gate: 3 });
    expect(problems).toEqual([]);
    // Only the line holding a \u escape is checked in full (its three entries); the others by their checksum.
    expect(checks).toHaveBeenCalledTimes(many.length);
  });

  it('writes the bytes of the line format, with zlib.crc32 and with the JavaScript fallback alike', async () => {
    // Real entries (a checksummed line is read back only if each entry is exactly what the schema gives).
    const text = (id: string, account: string) => JSON.stringify(bareEntry(id, { record: { id, account } }));
    const texts = [text('a', 'é'), text('b', '記録😀'), text('c', 'ß€')];
    const escaped = [...texts, text('d', '\ud800')];
    for (const group of [texts.slice(0, 1), escaped]) expect(encodePutLine(group).equals(expectedLine(group))).toBe(true);
    expect(encodePutLine(texts, Buffer.byteLength(texts.join(''))).equals(expectedLine(texts))).toBe(true);

    vi.resetModules();
    vi.doMock('node:zlib', async (original) => ({ ...(await original<typeof import('node:zlib')>()), crc32: undefined }));
    const fallback = await import('../../src/store/file/put-line.js');
    expect((await import('../../src/store/file/crc32.js')).crc32).not.toBe(crc32); // the fallback is the one in use
    for (const group of [texts.slice(0, 1), texts]) {
      const line = fallback.encodePutLine(group);
      expect(line.equals(expectedLine(group))).toBe(true);
      expect(fallback.readCheckedPut(line.subarray(0, -1))?.keys).toEqual(group.map((text) => (JSON.parse(text) as { key: string }).key));
    }
    expect(fallback.encodePutLine(escaped).equals(expectedLine(escaped))).toBe(true);
  });

  it('a snapshot line built from the bytes of an entry is the line built from its text', () => {
    for (const account of ['', 'é', '記録😀', '\ud800']) {
      const text = JSON.stringify(bareEntry('s', { record: { id: 's', account } }));
      expect(encodeSnapshotLine(Buffer.from(text)).equals(encodePutLine([text]))).toBe(true);
    }
  });
});
