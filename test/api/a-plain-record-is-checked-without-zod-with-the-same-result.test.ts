// Enqueue checks the common record (an object of strings) without running zod, and must give
// exactly what AuthorizationMailSchema gives: the same fields, the same values, the same order.
// Anything the shortcut does not take goes to the schema (which also words the problem).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainRecord } from '../../src/api/plain-record.js';
import { AuthorizationMailSchema } from '../../src/api/schemas.js';
import { validateRecords } from '../../src/api/validate-records.js';

const FIELDS = ['id', 'account', 'account_auth_type', 'account_auth_name', 'app_group_id', 'app_group_name', 'mail_send_type', 'mail_send_result', 'error_msg', 'send_at'];
const value = fc.oneof(fc.string(), fc.constantFrom('', ' ', '\t\n', 'x'), fc.constant(null), fc.constant(undefined), fc.integer(), fc.boolean(), fc.object(), fc.array(fc.string()));
const key = fc.oneof(fc.constantFrom(...FIELDS), fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString'));
const input = fc.oneof(
  fc.dictionary(key, value),
  fc.record({ id: fc.string() }, { requiredKeys: [] }),
  fc.record(Object.fromEntries(FIELDS.map((field) => [field, fc.option(fc.string(), { nil: null })])), { requiredKeys: ['id'] }),
  value,
);

describe('plainRecord', () => {
  it('gives exactly what the schema gives whenever it gives anything, and takes every object of strings the schema takes', () => {
    fc.assert(
      fc.property(input, (item) => {
        const plain = plainRecord(item);
        const parsed = AuthorizationMailSchema.safeParse(item);
        if (plain !== undefined) {
          expect(parsed.success).toBe(true);
          expect(plain).toStrictEqual(parsed.data);
          expect(Object.keys(plain)).toEqual(Object.keys(parsed.data as object));
          return;
        }
        const objectOfStrings =
          typeof item === 'object' && item !== null && !Array.isArray(item) && FIELDS.every((field) => {
            const fieldValue = (item as Record<string, unknown>)[field];
            return fieldValue === undefined || fieldValue === null || typeof fieldValue === 'string';
          });
        if (objectOfStrings && parsed.success) expect.fail(`the shortcut refused a record the schema takes: ${JSON.stringify(item)}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves the schema to word what is wrong: blank ids, wrong types, holes', () => {
    expect(() => validateRecords([{ id: '  ' }])).toThrow(/records\[0\]\.id|id/);
    expect(() => validateRecords([{ id: 'a', account: 5 }])).toThrow(/account/);
    expect(plainRecord({ id: 'a', account: new String('b') })).toBeUndefined();
    expect(validateRecords([{ id: 'a', account: null, extra: 1 }])).toEqual([{ id: 'a' }]);
  });
});
