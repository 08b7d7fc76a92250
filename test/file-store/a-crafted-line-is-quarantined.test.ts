// One crafted line never blocks the store: a line nested 10,000 deep holding `__proto__` (which
// overflowed the stack of a recursive check) and a line longer than the journal's maximum (which
// broke V8's string length) are each moved to quarantine.jsonl with a clear reason, and every
// entry before and after them loads. An over-long line is never held in memory whole: only a
// bounded prefix of it is quarantined, marked as cut.
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { MAX_DEPTH, MAX_LINE_BYTES, QUARANTINED_PREFIX_BYTES } from '../../src/store/file/journal-limits.js';
import { linesOf, putLine } from '../helpers/journal-files.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

interface Quarantined {
  line: number;
  why: string;
  text: string;
  cut?: { bytes: number; kept: number };
}

/** Opens a store over `dir`, returns what loaded and what was quarantined; closes it. */
async function openAndLoad(dir: string): Promise<{ keys: string[]; problems: string[]; quarantined: Quarantined[] }> {
  const store = new FileStore({ dir });
  const { entries, problems = [] } = await store.load();
  await store.close();
  const quarantined = (await linesOf(store.quarantinePath)).map((line) => JSON.parse(line) as Quarantined);
  return { keys: keysOf(entries), problems, quarantined };
}

const BEFORE_AND_AFTER = keysOf([bareEntry('before'), bareEntry('after')]);

describe('a crafted journal line', () => {
  it('nested 10,000 deep with a __proto__ key at the bottom (~20 KB) is quarantined as too deep; the entries before and after it load', async () => {
    const dir = await tempDir('crafted-deep');
    const depth = 10_000;
    const deep = `{"put":[${'['.repeat(depth)}{"__proto__":{"polluted":true}}${']'.repeat(depth)}]}`;
    expect(deep.length).toBeGreaterThan(20_000);
    await writeFile(join(dir, 'journal.jsonl'), `${putLine(bareEntry('before', { seq: 1 }))}\n${deep}\n${putLine(bareEntry('after', { seq: 2 }))}\n`);

    const { keys, problems, quarantined } = await openAndLoad(dir);
    expect(keys).toEqual(BEFORE_AND_AFTER);
    expect(problems.join('\n')).toMatch(/line 2\b/);
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0]).toMatchObject({ line: 2, text: deep });
    expect(quarantined[0]?.why).toBe(`nested deeper than ${MAX_DEPTH} levels`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Dealt with once: the next open is clean.
    expect(await openAndLoad(dir)).toMatchObject({ keys: BEFORE_AND_AFTER, problems: [] });
  });

  it('holding __proto__ deep down (within the depth limit) is quarantined as such', async () => {
    const dir = await tempDir('crafted-proto');
    const tricky = putLine({ ...bareEntry('p', { seq: 5 }), lastError: { name: 'x', message: 'y', retryable: true, kind: [[[{ a: 1 }]]] } }).replace(
      '{"a":1}',
      '{"a":{"__proto__":{"polluted":true}}}',
    );
    await writeFile(join(dir, 'journal.jsonl'), `${putLine(bareEntry('before', { seq: 1 }))}\n${tricky}\n${putLine(bareEntry('after', { seq: 2 }))}\n`);
    const { keys, quarantined } = await openAndLoad(dir);
    expect(keys).toEqual(BEFORE_AND_AFTER);
    expect(quarantined).toMatchObject([{ line: 2, why: 'holds a __proto__ key', text: tricky }]);
  });

  it(`longer than the maximum line (${MAX_LINE_BYTES} bytes; here a real 80 MB line) is quarantined by a bounded prefix, marked as cut; the entries before and after it load`, { timeout: 60_000 }, async () => {
    const dir = await tempDir('crafted-long');
    const path = join(dir, 'journal.jsonl');
    const longBytes = 80 * 1024 * 1024;
    expect(longBytes).toBeGreaterThan(MAX_LINE_BYTES);
    const handle = await open(path, 'w');
    await handle.write(`${putLine(bareEntry('before', { seq: 1 }))}\n{"put":[{"record":{"error_msg":"`);
    const block = Buffer.alloc(1024 * 1024, 'é'); // 2-byte characters: chunk edges fall inside them
    const head = Buffer.byteLength('{"put":[{"record":{"error_msg":"');
    for (let written = head; written < longBytes; written += block.length) await handle.write(block);
    await handle.write(`"}}]}\n${putLine(bareEntry('after', { seq: 2 }))}\n`);
    await handle.close();

    const { keys, problems, quarantined } = await openAndLoad(dir);
    expect(keys).toEqual(BEFORE_AND_AFTER);
    expect(problems.join('\n')).toMatch(/line 2\b/);
    expect(quarantined).toHaveLength(1);
    const [record] = quarantined;
    expect(record?.line).toBe(2);
    expect(record?.why).toBe(`line longer than ${MAX_LINE_BYTES} bytes`);
    // The prefix ends on a character boundary, so it is at most 3 bytes short of the bound.
    expect(record?.cut?.kept).toBeLessThanOrEqual(QUARANTINED_PREFIX_BYTES);
    expect(record?.cut?.kept).toBeGreaterThan(QUARANTINED_PREFIX_BYTES - 4);
    expect(record?.cut?.bytes).toBeGreaterThan(longBytes);
    expect(record?.text.startsWith('{"put":[{"record":{"error_msg":"éé')).toBe(true);
    expect(Buffer.byteLength(record?.text ?? '')).toBe(record?.cut?.kept);
    expect(record?.text).not.toContain('\uFFFD');
    expect(await openAndLoad(dir)).toMatchObject({ keys: BEFORE_AND_AFTER, problems: [] });
  });
});
