// A checksummed journal line is loaded with a hand-written shape check instead of the schema.
// That check must never pass a value the schema refuses, or one the schema would change (strip
// a key, drop a null): whenever it says yes, the schema says yes and gives back an equal value.
// And it must say yes to every entry the store writes, or the fast path would be no path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutboxEntrySchema } from '../../src/store/entry.js';
import { isStoredEntryShape } from '../../src/store/entry-shape.js';
import { entryCopy } from '../../src/store/entry-copy.js';

/** What a store's fast path writes (`checkedEntry` with `isStoredEntryShape`): the copy, when it has the exact stored shape. */
function storedEntryCopy(value: unknown): unknown {
  const copy = entryCopy(value);
  return isStoredEntryShape(copy) ? copy : undefined;
}

const PROJECT = '0123456789abcdef0123456789abcdef';
const odd = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.double(), fc.boolean(), fc.string(), fc.object(), fc.array(fc.integer()), fc.constant(Infinity), fc.constant(-1), fc.constant(2 ** 60));
const recordArb = fc.record(
  {
    id: fc.string({ minLength: 1 }),
    account: fc.string(),
    app_group_id: fc.string(),
    mail_send_type: fc.string(),
  },
  { requiredKeys: ['id'] },
);
const errorArb = fc.record(
  {
    name: fc.string({ maxLength: 20 }),
    message: fc.string({ maxLength: 50 }),
    retryable: fc.boolean(),
    status: fc.integer({ min: 0, max: 999 }),
    errorCode: fc.string({ maxLength: 10 }),
    retryAfterMs: fc.nat(),
  },
  { requiredKeys: ['name', 'message', 'retryable'] },
);
const entryArb = fc
  .record(
    {
      record: recordArb,
      projectId: fc.constantFrom(PROJECT, 'p'),
      language: fc.constantFrom('zh-cn', 'en-us', 'fr-fr'),
      seq: fc.nat(),
      enqueuedAt: fc.nat(),
      attempts: fc.nat({ max: 50 }),
      nextAttemptAt: fc.nat(),
      state: fc.constantFrom('pending', 'dead'),
      deadReason: fc.constantFrom('rejected', 'max-attempts', 'expired'),
      lastError: errorArb,
    },
    { requiredKeys: ['record', 'projectId', 'seq', 'enqueuedAt', 'attempts', 'nextAttemptAt', 'state'] },
  )
  .map((entry) => ({ key: `${entry.projectId}:${entry.record.id}`, ...entry }));

/** An entry with one field, at any depth, replaced by something odd, or an extra key added. */
const damaged = fc.tuple(entryArb, fc.nat(), odd, fc.boolean(), fc.string()).map(([entry, pick, value, extra, extraKey]) => {
  const copy = structuredClone(entry) as Record<string, unknown>;
  const spots: [Record<string, unknown>, string][] = [
    ...Object.keys(copy).map((key) => [copy, key] as [Record<string, unknown>, string]),
    ...Object.keys(copy.record as object).map((key) => [copy.record as Record<string, unknown>, key] as [Record<string, unknown>, string]),
    ...(copy.lastError ? Object.keys(copy.lastError).map((key) => [copy.lastError as Record<string, unknown>, key] as [Record<string, unknown>, string]) : []),
  ];
  const [target, key] = spots[pick % spots.length] as [Record<string, unknown>, string];
  if (extra) target[extraKey] = value;
  else target[key] = value;
  return copy;
});

describe('isStoredEntryShape', () => {
  it('says yes to every entry the schema gives back', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const parsed = OutboxEntrySchema.safeParse(entry);
        if (!parsed.success) return; // e.g. a blank generated id: not a writable entry
        expect(isStoredEntryShape(parsed.data)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never says yes where the schema refuses the value or would change it', () => {
    fc.assert(
      fc.property(fc.oneof(damaged, entryArb, odd), (value) => {
        if (!isStoredEntryShape(value)) return;
        const parsed = OutboxEntrySchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toStrictEqual(value);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses the crafted entries an attacker wrote with a recomputed checksum', () => {
    const good = { key: `${PROJECT}:a`, record: { id: 'a' }, projectId: PROJECT, seq: 1, enqueuedAt: 0, attempts: 0, nextAttemptAt: 0, state: 'pending' };
    expect(isStoredEntryShape(good)).toBe(true);
    for (const bad of [
      { ...good, seq: 'x' },
      { ...good, record: { id: 'a', password: 'p' } },
      { ...good, key: `${PROJECT}:5`, record: { id: 5 } },
      { ...good, projectId: 7, key: '7:a' },
      { ...good, nextAttemptAt: null },
      { ...good, state: 'sent' },
      { ...good, record: { id: ' ' }, key: `${PROJECT}: ` },
      { ...good, lastError: { name: 'E', message: 'm', retryable: true, retryAfterMs: -1 } },
    ]) {
      expect(isStoredEntryShape(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the copy the stores take past the schema (what putMany writes without running it)', () => {
  it('is either nothing (the schema runs) or a copy equal to what the schema gives back', () => {
    fc.assert(
      fc.property(fc.oneof(damaged, entryArb, odd), (value) => {
        const copy = storedEntryCopy(value);
        if (copy === undefined) return;
        expect(copy).not.toBe(value);
        const parsed = OutboxEntrySchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(copy).toStrictEqual(parsed.data);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes every entry the schema gives back (the fast path is the common path)', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const parsed = OutboxEntrySchema.safeParse(entry);
        if (parsed.success) expect(storedEntryCopy(parsed.data)).toStrictEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves an own __proto__ key behind, as the schema drops it, and reads each field once', () => {
    const good = { key: `${PROJECT}:a`, record: { id: 'a' }, projectId: PROJECT, seq: 1, enqueuedAt: 0, attempts: 0, nextAttemptAt: 0, state: 'pending' };
    const withProto = JSON.parse(JSON.stringify(good).replace('{"key"', '{"__proto__":1,"key"'));
    expect(storedEntryCopy(withProto)).toStrictEqual(OutboxEntrySchema.parse(withProto));
    const recordWithProto = { ...good, record: JSON.parse('{"__proto__":{"x":1},"id":"a"}') };
    expect(storedEntryCopy(recordWithProto)).toStrictEqual(OutboxEntrySchema.parse(recordWithProto));
    let reads = 0;
    const getter = { ...good };
    Object.defineProperty(getter, 'seq', { enumerable: true, get: () => (reads++ === 0 ? 1 : -1) });
    expect(storedEntryCopy(getter)).toStrictEqual(good);
    expect(reads).toBe(1);
  });
  it('gives anything that is not an entry object to the schema: NaN, numbers, strings, arrays, null, undefined', () => {
    for (const value of [Number.NaN, 0, 'entry', [], null, undefined, () => undefined]) expect(storedEntryCopy(value), String(value)).toBeUndefined();
  });
});
