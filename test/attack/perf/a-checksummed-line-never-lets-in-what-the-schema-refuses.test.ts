// Attack on the fast open (src/store/file/put-line.ts, journal-reader.ts): a put line whose CRC
// holds skips schema validation, and FileStore.load() then says `validated: true`, so the outbox
// does not check either. The CRC is public (zlib's), so anyone who can edit the journal (a hand
// edit, a script, another version of a tool) can write a line with wrong types and a recomputed
// checksum. The README admits that such a line is not refused by its checksum; what it still
// promises is the store contract (load gives back only what OutboxEntrySchema accepts), that an
// entry with wrong types is quarantined while "the other entries all load", that nothing but the
// ten record fields is ever sent, and that a drain ends. Each test below breaks one of those with
// one crafted line among valid ones.
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/node.js';
import { OutboxEntrySchema } from '../../../src/index.js';
import { useMocks } from '../../helpers/mock-service.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { within } from '../../helpers/within.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { checksummedLine, outboxOver, pendingEntry, sentRecords, writeJournal } from './perf-helpers.js';

const tempDir = useTempDirs();
const startMock = useMocks();
const PROJECT = '0123456789abcdef0123456789abcdef';

/** A journal of one valid entry and one crafted one (`crafted` over a valid entry), checksums recomputed. */
async function craftedJournal(projectId: string, at: number, crafted: Record<string, unknown>): Promise<string> {
  const dir = await tempDir('crafted-crc');
  await writeJournal(dir, checksummedLine(pendingEntry('good', projectId, 1, at)), checksummedLine({ ...pendingEntry('crafted', projectId, 2, at), ...crafted }));
  return dir;
}

describe('a put line with a recomputed checksum and wrong types', () => {
  it('is never handed out by load(): every entry load() returns passes OutboxEntrySchema (the store contract)', async () => {
    const dir = await craftedJournal(PROJECT, 1_700_000_000_000, { seq: 'x', record: { id: 5 }, state: 'weird' });
    const store = new FileStore({ dir });
    try {
      const { entries } = await store.load();
      const refused = entries.filter((entry) => !OutboxEntrySchema.safeParse(entry).success).map((entry) => entry.key);
      expect(refused).toEqual([]);
      expect(entries.map((entry) => entry.record.id)).toContain('good');
    } finally {
      await store.close();
    }
  });

  it('with a non-numeric seq does not make every later enqueue() fail', async () => {
    const mock = await startMock();
    const clock = new ManualClock();
    const store = new FileStore({ dir: await craftedJournal(mock.projectId, clock.now(), { seq: 'x' }) });
    const outbox = outboxOver(mock, store, clock.now);
    try {
      // Observed: StoreError "entry 0 cannot be stored: seq Invalid input" (the next seq is NaN), for every enqueue.
      await expect(outbox.enqueue({ id: 'after' })).resolves.toMatchObject({ added: [{ id: 'after' }] });
    } finally {
      await outbox.close().catch(() => undefined);
      await store.close();
    }
  });

  it('with an unknown record field never sends that field (only the ten fields are ever sent)', async () => {
    const mock = await startMock();
    const clock = new ManualClock();
    const store = new FileStore({ dir: await craftedJournal(mock.projectId, clock.now(), { record: { id: 'crafted', password: 'hunter2' } }) });
    const outbox = outboxOver(mock, store, clock.now);
    try {
      await within(outbox.drain(), 'the drain');
      const keys = new Set(sentRecords(mock).flatMap((record) => Object.keys(record)));
      expect([...keys]).toEqual(['id']);
    } finally {
      await outbox.close().catch(() => undefined);
      await store.close();
    }
  });

  it('with a non-string record id never sends a non-string id', async () => {
    const mock = await startMock();
    const clock = new ManualClock();
    const store = new FileStore({ dir: await craftedJournal(mock.projectId, clock.now(), { record: { id: 5 }, key: `${mock.projectId}:5` }) });
    const outbox = outboxOver(mock, store, clock.now);
    try {
      await within(outbox.drain(), 'the drain');
      expect(sentRecords(mock).map((record) => typeof record.id)).not.toContain('number');
      expect(mock.deliveredIds()).toContain('good');
    } finally {
      await outbox.close().catch(() => undefined);
      await store.close();
    }
  });

  it('with a numeric projectId does not keep drain() from ending (observed: an endless loop of internal errors)', async () => {
    const mock = await startMock();
    const clock = new ManualClock();
    const store = new FileStore({ dir: await craftedJournal(mock.projectId, clock.now(), { projectId: 7 }) });
    const outbox = outboxOver(mock, store, clock.now);
    let internalErrors = 0;
    outbox.on('error', (event) => {
      if (event.during === 'internal') internalErrors++;
    });
    try {
      const summary = await within(outbox.drain(), 'a drain over a journal with one crafted entry', 8_000).catch((error: Error) => error);
      expect(summary).not.toBeInstanceOf(Error);
      expect(mock.deliveredIds()).toContain('good');
      expect(internalErrors).toBeLessThan(5);
    } finally {
      await within(outbox.close(), 'close', 8_000).catch(() => undefined);
      await store.close();
    }
  });
});

describe('what the checksum path still checks in full (holds)', () => {
  it('a checksummed line holding __proto__ or a \\u escape is quarantined or loaded as the schema says, never trusted', async () => {
    const dir = await tempDir('crafted-proto');
    const at = 1_700_000_000_000;
    const proto = checksummedLine(pendingEntry('a', PROJECT, 1, at)).replace('"record":{', '"record":{"__proto__":{"polluted":1},');
    // A \u escape spelling a wrong type's key: "se\u0071" is "seq".
    const escaped = checksummedLine({ ...pendingEntry('b', PROJECT, 2, at), seq: 'x' }).replace('"seq"', '"se\\u0071"');
    await writeJournal(dir, proto, escaped, checksummedLine(pendingEntry('c', PROJECT, 3, at)));
    const store = new FileStore({ dir });
    try {
      const { entries, problems = [] } = await store.load();
      expect(entries.map((entry) => entry.record.id)).toEqual(['c']);
      expect(problems.join('\n')).toMatch(/line 1, 2\b/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
