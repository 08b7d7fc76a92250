// Corrupt lines in the middle of the journal (a bad sector, a hand edit) never stop the store
// from opening and never cost the other entries: each is moved to `quarantine.jsonl` with its
// line number and why, the journal is rewritten without them, and the next open is clean.
// Entries are re-validated on the way in, so wrong types and prototype tricks do not get in.
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, FileStore, type OutboxEvents } from '../../src/node.js';
import { linesOf, putLine } from '../helpers/journal-files.js';
import { PROJECT } from '../helpers/project.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry, fullEntry } from '../../src/testing.js';

const tempDir = useTempDirs();

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted;
});

const withTypo = (changes: Record<string, unknown>) => ({ ...bareEntry('typed', { seq: 9 }), ...changes });

/** Lines that are not a readable change, each with why it is bad. */
const GARBAGE: ReadonlyArray<{ what: string; text: string }> = [
  { what: 'not JSON', text: 'this is not JSON {"put":' },
  { what: 'JSON, but an array', text: '[1,2,3]' },
  { what: 'JSON, but a string', text: '"put"' },
  { what: 'JSON null', text: 'null' },
  { what: 'an object that is no known change', text: '{"upsert":[]}' },
  { what: 'an entry whose attempts is a string', text: putLine(withTypo({ attempts: '3' })) },
  { what: 'an entry with a negative seq', text: putLine(withTypo({ seq: -1 })) },
  { what: 'an entry in an unknown state', text: putLine(withTypo({ state: 'sent' })) },
  { what: 'an entry whose record id is a number', text: putLine(withTypo({ record: { id: 42 } })) },
  { what: 'an entry whose key does not match projectId:id', text: putLine({ ...bareEntry('x', { seq: 10 }), key: `${PROJECT}:someone-else` }) },
  { what: 'a put whose second entry is invalid (the whole change is refused)', text: putLine(bareEntry('half-good', { seq: 11 }), withTypo({ nextAttemptAt: 'soon' })) },
  { what: 'a delete of a non-string key', text: JSON.stringify({ del: [42] }) },
  { what: 'a meta value that is not a number', text: JSON.stringify({ meta: { gate: 'tomorrow' } }) },
];

/** A journal: good lines, every kind of garbage in the middle, more good lines after it. */
function journalText(): { text: string; garbageLines: number[] } {
  const before = [putLine(fullEntry('a', 1)), putLine(bareEntry('b', { seq: 2 }), bareEntry('c', { seq: 3 })), JSON.stringify({ meta: { gate: 5 } })];
  const after = [putLine(bareEntry('d', { seq: 4 })), JSON.stringify({ del: [bareEntry('c').key] }), putLine(bareEntry('e', { seq: 5 }))];
  const lines = [...before, ...GARBAGE.map((garbage) => garbage.text), ...after];
  const garbageLines = GARBAGE.map((_, index) => before.length + index + 1); // 1-based
  return { text: `${lines.join('\n')}\n`, garbageLines };
}

const LIVE = ['a', 'b', 'd', 'e'].map((id) => bareEntry(id).key).sort();

async function corruptStoreDir(): Promise<{ dir: string; journal: string; quarantine: string; garbageLines: number[] }> {
  const dir = await tempDir('corrupt-middle');
  const { text, garbageLines } = journalText();
  await writeFile(join(dir, 'journal.jsonl'), text, { mode: 0o600 });
  return { dir, journal: join(dir, 'journal.jsonl'), quarantine: join(dir, 'quarantine.jsonl'), garbageLines };
}

describe('corrupt lines in the middle of the journal', () => {
  it('do not stop the store from opening, and every other entry and the meta load', async () => {
    const { dir } = await corruptStoreDir();
    const store = new FileStore({ dir });
    const { entries, meta, problems } = await store.load();
    expect(entries.map((entry) => entry.key).sort()).toEqual(LIVE);
    expect(entries.find((entry) => entry.key === bareEntry('a').key)).toStrictEqual(fullEntry('a', 1));
    expect(meta).toStrictEqual({ gate: 5 });
    expect(problems).toHaveLength(1);
    expect(problems?.[0]).toContain('quarantine.jsonl');
    await store.close();
  });

  it('are moved to quarantine.jsonl, each with its line number, why, and its text as it was', async () => {
    const { dir, quarantine, garbageLines } = await corruptStoreDir();
    const store = new FileStore({ dir });
    const { problems } = await store.load();
    await store.close();

    const quarantined = (await linesOf(quarantine)).map((line) => JSON.parse(line) as { line: number; why: string; text: string; quarantinedAt: string });
    expect(quarantined.map((bad) => bad.line)).toEqual(garbageLines);
    expect(quarantined.map((bad) => bad.text)).toEqual(GARBAGE.map((garbage) => garbage.text));
    for (const bad of quarantined) {
      expect(bad.why, `why line ${bad.line} was quarantined`).toMatch(/\w/);
      expect(Number.isNaN(Date.parse(bad.quarantinedAt))).toBe(false);
    }
    for (const line of garbageLines) expect(problems?.[0], 'the problem report names every line').toMatch(new RegExp(`\\b${line}\\b`));
  });

  it('are gone from the rewritten journal, which holds the live entries and the meta only', async () => {
    const { dir, journal } = await corruptStoreDir();
    const store = new FileStore({ dir });
    await store.load();
    await store.close();

    const lines = await linesOf(journal);
    for (const garbage of GARBAGE) expect(lines, garbage.what).not.toContain(garbage.text);
    const changes = lines.map((line) => JSON.parse(line) as { put?: { key: string }[]; meta?: unknown });
    expect(changes.flatMap((change) => change.put ?? []).map((entry) => entry.key).sort()).toEqual(LIVE);
    expect(changes.filter((change) => change.meta !== undefined)).toEqual([{ meta: { gate: 5 } }]);
  });

  it('are dealt with once: the next open reports no problem and quarantines nothing more', async () => {
    const { dir, quarantine } = await corruptStoreDir();
    const first = new FileStore({ dir });
    await first.load();
    await first.close();
    const quarantinedOnce = await readFile(quarantine, 'utf8');

    const second = new FileStore({ dir });
    const { entries, meta, problems } = await second.load();
    expect(problems ?? []).toEqual([]);
    expect(entries.map((entry) => entry.key).sort()).toEqual(LIVE);
    expect(meta).toStrictEqual({ gate: 5 });
    await second.close();
    expect(await readFile(quarantine, 'utf8')).toBe(quarantinedOnce);
  });

  it('an entry carrying __proto__ keys pollutes no prototype, and the key does not get in', async () => {
    const dir = await tempDir('corrupt-proto');
    const tricky = [
      putLine(bareEntry('p1', { seq: 1 })).replace('"record":', '"__proto__":{"polluted":"entry"},"record":'),
      putLine(bareEntry('p2', { seq: 2 })).replace('"id":"p2"', '"id":"p2","__proto__":{"polluted":"record"}'),
      putLine(bareEntry('p3', { seq: 3 })).replace('{"put":', '{"__proto__":{"polluted":"change"},"put":'),
      JSON.stringify({ meta: { gate: 1 } }).replace('{"gate"', '{"__proto__":{"polluted":"meta"},"gate"'),
    ];
    await writeFile(join(dir, 'journal.jsonl'), `${putLine(bareEntry('ok', { seq: 0 }))}\n${tricky.join('\n')}\n${putLine(bareEntry('ok2', { seq: 4 }))}\n`);

    const store = new FileStore({ dir });
    const { entries, meta } = await store.load();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    for (const entry of entries) {
      expect(Object.getPrototypeOf(entry)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(entry.record)).toBe(Object.prototype);
      expect(Object.hasOwn(entry, '__proto__') || Object.hasOwn(entry.record, '__proto__')).toBe(false);
      expect((entry as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect((entry.record as unknown as Record<string, unknown>).polluted).toBeUndefined();
    }
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.keys(meta)).not.toContain('__proto__');
    expect(entries.map((entry) => entry.key)).toEqual(expect.arrayContaining([bareEntry('ok').key, bareEntry('ok2').key]));
    await store.close();
  });

  it('a hand-edited entry line carrying a __proto__ key is quarantined like any other tampered line', async () => {
    const dir = await tempDir('corrupt-proto-quarantine');
    const tampered = putLine(bareEntry('p1', { seq: 1 })).replace('"record":', '"__proto__":{"polluted":"entry"},"record":');
    await writeFile(join(dir, 'journal.jsonl'), `${putLine(bareEntry('ok', { seq: 0 }))}\n${tampered}\n${putLine(bareEntry('ok2', { seq: 2 }))}\n`);

    const store = new FileStore({ dir });
    const { entries, problems } = await store.load();
    await store.close();
    expect(entries.map((entry) => entry.key).sort()).toEqual([bareEntry('ok').key, bareEntry('ok2').key].sort());
    expect(problems).toHaveLength(1);
    const quarantined = (await linesOf(store.quarantinePath)).map((line) => JSON.parse(line) as { line: number; text: string });
    expect(quarantined).toMatchObject([{ line: 2, text: tampered }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('are reported through the outbox error event, and the outbox still has every other record', async () => {
    const dir = await tempDir('corrupt-outbox');
    const options = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'unused-token' }, dir };
    const first = createOutbox(options);
    await first.enqueue([{ id: 'r1' }, { id: 'r2' }]);
    await first.enqueue({ id: 'r3' });
    await first.close();
    const journal = join(dir, 'journal.jsonl');
    const lines = await linesOf(journal);
    await writeFile(journal, `${[lines[0], 'garbage', ...lines.slice(1)].join('\n')}\n`);

    const second = createOutbox(options);
    const errors: OutboxEvents['error'][] = [];
    second.on('error', (event) => errors.push(event));
    expect((await second.pending()).map((entry) => entry.record.id).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ during: 'store', error: { name: 'StoreError' } });
    expect(errors[0]?.error.message).toContain('quarantine.jsonl');
    expect(errors[0]?.error.message).toMatch(/\bline 2\b/);
    await second.close();
  });

  it('closing a store that repaired its journal leaves no file of its directory open', async () => {
    const { dir } = await corruptStoreDir();
    const store = new FileStore({ dir });
    await store.load();
    await store.close();
    const open: string[] = [];
    for (const fd of await readdir('/proc/self/fd')) {
      const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
      if (target.startsWith(dir)) open.push(target);
    }
    expect(open, 'file descriptors still open on the store directory after close()').toEqual([]);
  });
});
