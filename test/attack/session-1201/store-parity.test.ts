// Attacks on today's "stores write what they checked" change (src/store/entry-shape.ts):
// accept/refuse parity with OutboxEntrySchema, StoreError naming index and field, each field read once.
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/node.js';
import { MemoryStore, OutboxEntrySchema, type OutboxEntry } from '../../../src/index.js';
import { PostgresStore } from '../../../src/postgres.js';
import { bareEntry } from '../../../src/testing.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { postgresMissing, usePostgres } from '../../helpers/postgres.js';
import { SHAPES } from './shapes.js';

const tempDir = useTempDirs();
const db = usePostgres();

interface Opened { store: { putMany(e: readonly OutboxEntry[]): Promise<void> }; reopen(): Promise<OutboxEntry[]> }
const openers: Record<string, () => Promise<Opened>> = {
  FileStore: async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    return { store, reopen: async () => { await store.close(); const again = new FileStore({ dir }); const { entries } = await again.load(); await again.close(); return entries; } };
  },
  PostgresStore: async () => {
    const pool = db.pool(2);
    const schema = db.schema();
    const store = new PostgresStore({ pool, schema });
    return { store, reopen: async () => { await store.close(); const again = new PostgresStore({ pool, schema }); const { entries } = await again.load(); await again.close(); return entries; } };
  },
};
const caught = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe.skipIf(postgresMissing).each(Object.keys(openers))('%s', (name) => {
  const open = openers[name] as () => Promise<Opened>;

  it('accepts what the schema accepts: an entry whose record was parsed from JSON with a "__proto__" key (MemoryStore and the schema take it)', async () => {
    const entry = SHAPES.protoKeyInRecord?.() as OutboxEntry;
    expect(OutboxEntrySchema.safeParse(entry).success).toBe(true);
    const { store, reopen } = await open();
    const error = await caught(store.putMany([entry]));
    expect(error?.message).toBeUndefined();
    expect((await reopen()).map((e) => e.record)).toEqual([{ id: 'pkr' }]);
  });

  it.each(['nonEnumerableState', 'nonEnumerableRecordId', 'getterInvalidThenValid', 'proxyOwnKeysLies', 'proxyDescriptorThrows'])(
    'parity with the schema (%s): stored as the schema reads it where the schema takes it, else a StoreError naming the entry and its field',
    async (shape) => {
      const make = SHAPES[shape] as () => unknown;
      const parsed = OutboxEntrySchema.safeParse(make());
      const { store, reopen } = await open();
      const error = await caught(store.putMany([bareEntry('ok', { seq: 1 }), make() as OutboxEntry]));
      if (parsed.success) {
        expect(error?.message).toBeUndefined();
        const loaded = (await reopen()).filter((entry) => entry.key !== bareEntry('ok').key);
        expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify([parsed.data])));
      } else {
        expect(error?.name).toBe('StoreError');
        expect(error?.message).toMatch(/entry 1 cannot be stored: (state|record|record\.id|attempts|key) /);
        expect(await reopen()).toEqual([]);
      }
    },
  );

  it('names the entry that is wrong, not an earlier one whose getter changes on a second read', async () => {
    const first = bareEntry('a', { seq: 1 }) as unknown as Record<string, unknown>;
    let reads = 0;
    Object.defineProperty(first, 'attempts', { enumerable: true, get: () => (reads++ === 0 ? 1 : -1) });
    const { store } = await open();
    const error = await caught(store.putMany([first as unknown as OutboxEntry, { ...bareEntry('b', { seq: 2 }), seq: -5 }]));
    expect(error?.message).toMatch(/entry 1 cannot be stored: seq/);
  });

  it('reads each field of an entry once, also when the entry has an own "__proto__" key', async () => {
    // The getter comes first in key order, then the own "__proto__" key (as JSON.parse makes it).
    const { attempts: _a, ...rest } = bareEntry('p', { seq: 1 });
    let reads = 0;
    const entry: Record<string, unknown> = {};
    Object.defineProperty(entry, 'attempts', { enumerable: true, configurable: true, get: () => (reads++, 2) });
    Object.defineProperty(entry, '__proto__', { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
    Object.assign(entry, rest);
    const { store, reopen } = await open();
    await store.putMany([entry as unknown as OutboxEntry]);
    expect(reads).toBe(1);
    expect((await reopen()).map((e) => e.attempts)).toEqual([2]);
  });

  it('a sparse array of entries: a StoreError naming entry 0, nothing written', async () => {
    const entries = [, bareEntry('s', { seq: 1 })] as unknown as OutboxEntry[];
    const { store, reopen } = await open();
    const error = await caught(store.putMany(entries));
    expect(`${error?.name}: ${error?.message}`).toMatch(/^StoreError: .*entry 0 /);
    expect(await reopen()).toEqual([]);
  });

  it.each(['plain', 'frozen', 'classInstance', 'prototypeGetters', 'nullPrototype', 'proxyPlain', 'proxyRecord', 'symbolKey', 'unknownKey', 'unknownInRecord', 'unknownInLastError', 'undefinedValues', 'minusZero', 'nullRecordField', 'toJSON', 'getterValidThenInvalid', 'lastErrorClass', 'constructorKey', 'protoKeyInEntry'])(
    'held: %s is stored, and a reopen loads what the schema reads from it, nothing unknown on disk',
    async (shape) => {
      const make = SHAPES[shape] as () => unknown;
      const parsed = OutboxEntrySchema.safeParse(make());
      expect(parsed.success).toBe(true);
      const { store, reopen } = await open();
      await store.putMany([make() as OutboxEntry]);
      const loaded = await reopen();
      expect(JSON.parse(JSON.stringify(loaded))).toEqual(JSON.parse(JSON.stringify([parsed.data])));
      expect(JSON.stringify(loaded)).not.toContain('hunter2');
    },
  );

  it.each(['nanAttempts', 'infiniteNext', 'hugeSeq', 'nullLanguage', 'arrayEntry', 'arrayRecord', 'stringObjectId', 'deepRecordField', 'keyMismatch', 'bigMessage', 'getterThrows'])(
    'held: %s is refused with a StoreError naming entry 0, nothing written',
    async (shape) => {
      const { store, reopen } = await open();
      const error = await caught(store.putMany([SHAPES[shape]?.() as OutboxEntry]));
      expect(error?.name).toBe('StoreError');
      expect(error?.message).toMatch(/entry 0 cannot be (stored|read)/);
      expect(await reopen()).toEqual([]);
    },
  );
});

describe('MemoryStore (parity with the schema and the other stores)', () => {
  it.each(['prototypeGetters', 'nonEnumerableState', 'getterValidThenInvalid'])('never accepts on putMany an entry its own load gives back invalid: %s', async (shape) => {
    const store = new MemoryStore();
    const accepted = await store.putMany([SHAPES[shape]?.() as OutboxEntry]).then(() => true, () => false);
    if (accepted) for (const entry of (await store.load()).entries) expect(OutboxEntrySchema.safeParse(entry).success).toBe(true);
  });

  it.each(['proxyPlain', 'toJSON', 'getterThrows'])('an entry it cannot copy (%s) gets a StoreError, not a bare DataCloneError/Error', async (shape) => {
    const error = await caught(new MemoryStore().putMany([SHAPES[shape]?.() as OutboxEntry]));
    if (error) expect(error.name).toBe('StoreError');
  });

  it('an unknown field (a secret) is not kept, as FileStore and PostgresStore do not keep it', async () => {
    const store = new MemoryStore();
    await store.putMany([SHAPES.unknownKey?.() as OutboxEntry]);
    expect(JSON.stringify((await store.load()).entries)).not.toContain('hunter2');
  });
});
