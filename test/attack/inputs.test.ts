// Attacks on "bad input gets a clear error (ValidationError naming index and field) with nothing
// stored", for every field and size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, isStoreError, isValidationError, MemoryStore, type ValidationError } from '../../src/node.js';
import { PROJECT } from '../helpers/project.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const core = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'tok-unused' } };
// Registered before the cleanups below, so run after them: outboxes close before their directories go.
const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const memoryOutbox = () => {
  const outbox = createOutbox({ ...core, store: new MemoryStore() });
  cleanups.push(() => outbox.close());
  return outbox;
};

describe('records of every shape', () => {
  it('a sparse array of 1 million holes is refused after counting at most 1000 bad records (20 listed), nothing stored', async () => {
    const outbox = memoryOutbox();
    const holes: unknown[] = [];
    holes.length = 1_000_000;
    const error = await outbox.enqueue(holes as never).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    const issues = (error as ValidationError).issues;
    expect(issues).toHaveLength(22);
    expect(issues[0]).toMatchObject({ index: 0, field: '' });
    expect(issues[20]?.message).toBe('and 980 more problems');
    expect(issues[21]?.message).toMatch(/^validation stopped at record 999 after 1000 bad records/);
    expect(await outbox.pending()).toEqual([]);
  }, 60_000);

  it('an array longer than 1 000 000 records is refused before it is walked (length 2**32-1)', async () => {
    const outbox = memoryOutbox();
    const huge: unknown[] = [];
    huge.length = 2 ** 32 - 1;
    const error = await outbox.enqueue(huge as never).catch((e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
    expect((error as ValidationError).issues[0]?.message).toMatch(/more than 1000000 in one call/);
  });

  it('a record whose getter throws gets a ValidationError naming its index and field, nothing stored', async () => {
    const outbox = memoryOutbox();
    const record = { id: 'ok', get account(): string { throw new Error('getter exploded with a secret-ish message'); } };
    const error = await outbox.enqueue([{ id: 'fine' }, record]).catch((e: unknown) => e);
    expect(isValidationError(error), `${(error as Error).name}: ${(error as Error).message}`).toBe(true);
    expect((error as ValidationError).issues).toEqual([{ index: 1, field: 'account', message: 'could not be read: reading it threw (Error)' }]);
    expect((error as Error).message).not.toContain('secret-ish');
    expect(await outbox.pending()).toEqual([]);
  });

  it.each([
    ['number id', { id: 1 }], ['blank id', { id: ' \t\n' }], ['object field', { id: 'a', account: {} }], ['bigint field', { id: 'a', account: 1n }],
    ['symbol field', { id: 'a', account: Symbol('s') }], ['array record', ['a']], ['null record', null], ['function record', () => 0],
  ])('%s: ValidationError, nothing stored', async (_name, record) => {
    const outbox = memoryOutbox();
    await expect(outbox.enqueue([{ id: 'good' }, record] as never)).rejects.toSatisfy(isValidationError);
    expect(await outbox.pending()).toEqual([]);
  });

  it('100 000 records in one enqueue are stored (MemoryStore) and counted', async () => {
    const outbox = memoryOutbox();
    const records = Array.from({ length: 100_000 }, (_, i) => ({ id: `r${i}`, account: `user${i}@example.com` }));
    const { added } = await outbox.enqueue(records);
    expect(added.length).toBe(100_000);
  }, 60_000);
});

describe('a FileStore and huge or odd fields', () => {
  it('a 70 MB field: a StoreError, nothing stored, nothing left in memory to send; the next enqueue works', async () => {
    const dir = await tempDir('attack-input');
    const outbox = createOutbox({ ...core, dir });
    cleanups.push(() => outbox.close());
    const error = await outbox.enqueue({ id: 'huge', account: 'x'.repeat(70 * 2 ** 20) }).catch((e: unknown) => e);
    expect(isStoreError(error) || isValidationError(error), String(error)).toBe(true);
    expect(await outbox.pending()).toEqual([]);
    await outbox.enqueue({ id: 'small' });
    expect((await outbox.pending()).map((e) => e.record.id)).toEqual(['small']);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain('huge');
  }, 60_000);

  it('ids that are lone surrogates, __proto__, control characters survive a reopen', async () => {
    const dir = await tempDir('attack-input');
    const ids = ['\ud800', '__proto__', 'constructor', 'a\u0000b', 'line\nbreak', 'x'.repeat(100_000)];
    const first = createOutbox({ ...core, dir });
    await first.enqueue(ids.map((id) => ({ id })));
    await first.close();
    const second = createOutbox({ ...core, dir });
    const back = (await second.pending()).map((e) => e.record.id);
    await second.close();
    expect(back.sort()).toEqual([...ids].sort());
  });
});

describe('projectId and options', () => {
  it.each(['0123456789ABCDEF0123456789ABCDEF', ' 0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcde', 'g123456789abcdef0123456789abcdef', '', 42])('projectId %j: TypeError naming it, nothing stored', async (projectId) => {
    expect(() => createOutbox({ ...core, projectId: projectId as string, store: new MemoryStore() })).toThrow(/projectId/);
    const outbox = memoryOutbox();
    await expect(outbox.enqueue({ id: 'a' }, { projectId: projectId as string })).rejects.toThrow(/projectId/);
    expect(await outbox.pending()).toEqual([]);
  });

  it.each([
    ['batchSize', 0], ['batchSize', Number.NaN], ['batchSize', '5'], ['concurrency', 1e9], ['requestTimeoutMs', Infinity],
    ['maxAgeMs', -1], ['batchsize', 5], ['retry', { maxattempts: 3 }], ['retry', { jitter: 2 }], ['now', 5],
  ])('option %s = %j: TypeError naming it', (key, value) => {
    expect(() => createOutbox({ ...core, store: new MemoryStore(), [key]: value } as never)).toThrow(new RegExp(key === 'retry' ? 'retry\\.' : key));
  });
});
