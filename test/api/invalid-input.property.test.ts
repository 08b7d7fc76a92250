// Nothing invalid leaves the client: bad records are refused with a ValidationError naming each
// bad record's index and field, bad options with a TypeError naming the option, and in both
// cases the service receives no request at all. Valid input of any shape is sent as it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ValidationError,
  assertProjectId,
  isValidationError,
  normalizeEndpoint,
  resendAuthorizationMails,
  type WorkspaceCallOptions,
} from '../../src/index.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const mock = useMock();

const OPTIONAL_FIELDS = [
  'account',
  'account_auth_type',
  'account_auth_name',
  'app_group_id',
  'app_group_name',
  'mail_send_type',
  'mail_send_result',
  'error_msg',
  'send_at',
] as const;
const MODEL_FIELDS: readonly string[] = ['id', ...OPTIONAL_FIELDS];

/** Any text, lone surrogates and control characters included. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const whitespace = fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff');
const blankText = fc.string({ unit: whitespace, minLength: 1, maxLength: 6 });
const nonBlankText = anyText.filter((text) => text.trim().length > 0);
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.array(fc.string(), { minLength: 1, maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  fc.bigInt().map((value) => Number(value % 1000n)),
);

/** A valid record: a non-blank id, optional fields as strings or nulls, maybe unknown extra keys. */
const validRecord = fc
  .tuple(
    nonBlankText,
    fc.record(Object.fromEntries(OPTIONAL_FIELDS.map((field) => [field, fc.option(anyText, { nil: null })])), {
      requiredKeys: [],
      noNullPrototype: true,
    }),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((key) => !MODEL_FIELDS.includes(key) && key !== '__proto__'),
      fc.oneof(anyText, fc.integer(), fc.constant(null), fc.constant({ nested: true })),
      { maxKeys: 2, noNullPrototype: true },
    ),
  )
  .map(([id, fields, extra]) => ({ ...extra, ...fields, id }) as Record<string, unknown>);

/** What the service must receive for a valid record: the model fields that hold strings. */
function expectedOnTheWire(record: Record<string, unknown>): Record<string, string> {
  const wire: Record<string, string> = {};
  for (const field of MODEL_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') wire[field] = value;
  }
  return wire;
}

/** One defect that makes a record invalid, with the field the issue must name ('' = the record itself). */
type Defect = { readonly field: string; readonly apply: (record: Record<string, unknown>) => unknown };

const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.constant<Defect>({ field: 'id', apply: ({ id: _id, ...rest }) => rest }),
  fc.constant<Defect>({ field: 'id', apply: (record) => ({ ...record, id: '' }) }),
  blankText.map<Defect>((blank) => ({ field: 'id', apply: (record) => ({ ...record, id: blank }) })),
  fc.oneof(notAString, fc.constant(null)).map<Defect>((value) => ({ field: 'id', apply: (record) => ({ ...record, id: value }) })),
  fc
    .tuple(fc.constantFrom(...OPTIONAL_FIELDS), notAString)
    .map<Defect>(([field, value]) => ({ field, apply: (record) => ({ ...record, [field]: value }) })),
  fc
    .constantFrom<unknown>(null, undefined, 0, 42, 'a string', '', true, [], [{ id: '1' }])
    .map<Defect>((value) => ({ field: '', apply: () => value })),
);

/** An array of valid records in which 1..5 (distinct) positions carry one defect each. */
const invalidRecordArray = fc
  .array(validRecord, { minLength: 1, maxLength: 10 })
  .chain((records) =>
    fc
      .uniqueArray(fc.tuple(fc.nat({ max: records.length - 1 }), defect), {
        minLength: 1,
        maxLength: Math.min(5, records.length),
        selector: ([index]) => index,
      })
      .map((defects) => {
        const items: unknown[] = [...records];
        for (const [index, { apply }] of defects) items[index] = apply(records[index] as Record<string, unknown>);
        const expected = defects.map(([index, { field }]) => ({ index, field })).sort((a, b) => a.index - b.index);
        return { items, expected };
      }),
  );

function send(records: unknown, overrides: Partial<WorkspaceCallOptions> = {}) {
  return resendAuthorizationMails({ ...callOptions(mock.current, overrides), records: records as never });
}

async function validationErrorOf(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await rejectionOf(promise);
  expect(isValidationError(error), `expected a ValidationError, got ${String(error)}`).toBe(true);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('invalid records are refused before anything is sent', () => {
  it('any array with defective records: a ValidationError naming exactly each bad index and field; no request', async () => {
    await fc.assert(
      fc.asyncProperty(invalidRecordArray, async ({ items, expected }) => {
        const error = await validationErrorOf(send(items));
        const named = error.issues.map(({ index, field }) => ({ index, field })).sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
        expect(named).toEqual(expected);
        for (const { index, field } of expected) {
          expect(error.message).toContain(field === '' ? `record ${index}:` : `record ${index}, field "${field}"`);
        }
        expect(error.retryable).toBe(false);
        expect(mock.current.requests).toHaveLength(0);
      }),
      { numRuns: 300 },
    );
  });

  it('holes in a sparse array are missing records: each hole\'s index is named; no request', async () => {
    // A hole reads as `undefined`, which is refused as a record anywhere else in the array.
    await fc.assert(
      fc.asyncProperty(
        fc.sparseArray(validRecord, { maxLength: 8, noTrailingHole: false }).filter((items) => Object.keys(items).length < items.length),
        async (items) => {
          const holes = Array.from(items.keys()).filter((index) => !(index in items));
          const error = await validationErrorOf(send(items));
          expect(error.issues.map(({ index, field }) => ({ index, field }))).toEqual(holes.map((index) => ({ index, field: '' })));
          expect(mock.current.requests).toHaveLength(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('an array of two holes (new Array(2)) is refused; it is not an empty send', async () => {
    const error = await validationErrorOf(send(new Array(2)));
    expect(error.issues.map(({ index }) => index)).toEqual([0, 1]);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('the issue says what is wrong without quoting the value', async () => {
    const secretish = 'value-that-must-not-be-quoted';
    const error = await validationErrorOf(send([{ id: 'ok' }, { id: 'x', account: [secretish] }, { account: secretish }, { id: '   ' }]));
    expect(error.issues).toEqual([
      { index: 1, field: 'account', message: 'expected a string, got an array' },
      { index: 2, field: 'id', message: 'is required' },
      { index: 3, field: 'id', message: 'must not be empty or blank' },
    ]);
    expect(error.message).not.toContain(secretish);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('an empty array is refused, naming "records"; no request', async () => {
    const error = await validationErrorOf(send([]));
    expect(error.issues).toEqual([{ field: 'records', message: expect.stringContaining('at least one') }]);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('records that are not an array are refused, naming "records"; no request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant({ id: 'single' }), fc.object()),
        async (records) => {
          const error = await validationErrorOf(send(records));
          expect(error.issues.map((issue) => issue.field)).toEqual(['records']);
          expect(error.issues[0]?.index).toBeUndefined();
          expect(mock.current.requests).toHaveLength(0);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('many bad records: the first 20 issues are listed and the message says how many more', async () => {
    const error = await validationErrorOf(send(Array.from({ length: 30 }, () => ({ id: '' }))));
    expect(error.issues).toHaveLength(21);
    expect(error.issues[19]).toMatchObject({ index: 19, field: 'id' });
    expect(error.issues[20]?.message).toBe('and 10 more problems');
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('valid records of any shape are accepted and sent as they are', () => {
  it('the service receives each record\'s model fields that hold strings, in order; nulls and unknown keys left out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validRecord, { minLength: 1, maxLength: 5 }), async (records) => {
        mock.current.reset();
        const result = await send(records);
        expect(result.count).toBe(records.length);
        expect(mock.current.requests).toHaveLength(1);
        expect(mock.current.requests[0]?.status).toBe(200);
        expect(mock.current.requests[0]?.records).toEqual(records.map(expectedOnTheWire));
      }),
      { numRuns: 60 },
    );
  });
});

describe('bad options are refused with a TypeError naming the option; no request', () => {
  async function expectOptionRefused(overrides: Record<string, unknown>, option: string | RegExp): Promise<void> {
    const error = await rejectionOf(send([{ id: 'r1' }], overrides as Partial<WorkspaceCallOptions>));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(typeof option === 'string' ? new RegExp(`^${option.replace(/\./g, '\\.')}\\b`) : option);
    expect(mock.current.requests).toHaveLength(0);
  }

  it.each([
    'a/b',
    '/etc',
    '..',
    '.',
    'a..b',
    '../other',
    'abc?x=1',
    'abc#frag',
    'a b',
    ' abc',
    'abc\n',
    'a\tb',
    '',
    'a%2Fb',
    'ü',
    'x'.repeat(129),
    'p1',
    'v1.2',
    '0123456789abcdef0123456789abcde',
    '0123456789abcdef0123456789abcdef0',
    '0123456789abcdef0123456789abcdeg',
  ])('projectId %j', async (projectId) => {
    await expectOptionRefused({ projectId }, 'projectId');
  });

  it.each([undefined, null, 42, {}, ['abc']])('projectId of type %j', async (projectId) => {
    await expectOptionRefused({ projectId }, 'projectId');
  });

  it('any projectId holding "/", "?", "#", whitespace or ".." is refused, and no request is made', async () => {
    const forbidden = fc.constantFrom('/', '?', '#', ' ', '\t', '\n', '..', '\u00a0', '%', '\\');
    await fc.assert(
      fc.asyncProperty(fc.tuple(fc.string({ maxLength: 10 }), forbidden, fc.string({ maxLength: 10 })), async ([before, bad, after]) => {
        await expectOptionRefused({ projectId: `${before}${bad}${after}` }, 'projectId');
      }),
      { numRuns: 100 },
    );
  });

  it('any projectId of 32 lowercase hex characters (the documented format) is accepted as it is; anything else is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (projectId) => {
        expect(assertProjectId(projectId)).toBe(projectId);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).filter((text) => !/^[0-9a-f]{32}$/.test(text)), (projectId) => {
        expect(() => assertProjectId(projectId)).toThrow(/^projectId must be a project ID: 32 lowercase hex characters/);
      }),
    );
    expect(assertProjectId('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
  });

  it('an upper-case hex projectId is refused with a hint naming the lowercase one', async () => {
    await expectOptionRefused({ projectId: '0123456789ABCDEF0123456789ABCDEF' }, /^projectId must be .*upper case.*use "0123456789abcdef0123456789abcdef"/);
  });

  it.each([
    ['http on a non-loopback host', 'http://workspace.ap-southeast-1.myhuaweicloud.com'],
    ['http on a host that only starts like loopback', 'http://127.0.0.1.nip.io'],
    ['http on a host that only starts like localhost', 'http://localhost.example.com'],
    ['credentials', 'https://user:secret@workspace.ap-southeast-1.myhuaweicloud.com'],
    ['a user name', 'https://user@workspace.ap-southeast-1.myhuaweicloud.com'],
    ['credentials on loopback', 'http://user:secret@127.0.0.1:1'],
    ['a query', 'https://workspace.ap-southeast-1.myhuaweicloud.com/?region=x'],
    ['an empty query', 'https://workspace.ap-southeast-1.myhuaweicloud.com?'],
    ['a fragment', 'https://workspace.ap-southeast-1.myhuaweicloud.com#top'],
    ['another scheme', 'ftp://workspace.ap-southeast-1.myhuaweicloud.com'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['not a URL', 'workspace.ap-southeast-1.myhuaweicloud.com'],
    ['an empty string', ''],
    ['blank', '   '],
    ['a number', 443],
    ['undefined', undefined],
  ])('endpoint with %s', async (_what, endpoint) => {
    await expectOptionRefused({ endpoint }, 'endpoint');
  });

  it('endpoint error messages never repeat the credentials they refuse', async () => {
    const error = await rejectionOf(send([{ id: 'r1' }], { endpoint: 'https://user:hunter2-secret@example.com' }));
    expect((error as Error).message).not.toContain('hunter2-secret');
  });

  it.each([
    ['https://workspace.ap-southeast-1.myhuaweicloud.com', 'https://workspace.ap-southeast-1.myhuaweicloud.com'],
    ['https://workspace.ap-southeast-1.myhuaweicloud.com/', 'https://workspace.ap-southeast-1.myhuaweicloud.com'],
    ['https://proxy.example.com/workspace/', 'https://proxy.example.com/workspace'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.1.2.3', 'http://127.1.2.3'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('endpoint %j is accepted as %j', (endpoint, normalized) => {
    expect(normalizeEndpoint(endpoint)).toBe(normalized);
  });

  it.each(['de-de', 'EN-US', 'en', 'zh_CN', '', 42, null])('language %j', async (language) => {
    await expectOptionRefused({ language }, 'language');
  });

  it.each([0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, '1000'])('timeoutMs %j', async (timeoutMs) => {
    await expectOptionRefused({ timeoutMs }, 'timeoutMs');
  });

  it.each([
    ['undefined', undefined, 'auth'],
    ['null', null, 'auth'],
    ['a bare string', 'a-token-string', 'auth'],
    ['an empty object', {}, 'auth'],
    ['both a token and keys', { token: 'tok-123456', ak: 'AK123', sk: 'SK123' }, 'auth'],
    ['an empty token', { token: '' }, 'auth.token'],
    ['a numeric token', { token: 12345 }, 'auth.token'],
    ['an object token', { token: { value: 'x' } }, 'auth.token'],
    ['an AK without SK', { ak: 'AK123' }, 'auth.sk'],
    ['an SK without AK', { sk: 'SK123' }, 'auth.ak'],
    ['an empty AK', { ak: '', sk: 'SK123' }, 'auth.ak'],
    ['a numeric SK', { ak: 'AK123', sk: 42 }, 'auth.sk'],
    ['an empty security token', { ak: 'AK123', sk: 'SK123', securityToken: '' }, 'auth.securityToken'],
    ['a numeric security token', { ak: 'AK123', sk: 'SK123', securityToken: 7 }, 'auth.securityToken'],
  ])('auth: %s', async (_what, auth, option) => {
    await expectOptionRefused({ auth }, option);
  });

  it('auth shape errors never repeat a secret', async () => {
    const error = await rejectionOf(send([{ id: 'r1' }], { auth: { ak: 'AK-visible', sk: 'SK-must-not-show', securityToken: '' } as never }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).not.toContain('SK-must-not-show');
    expect((error as Error).message).not.toContain('AK-visible');
  });

  it('fetch that is not a function', async () => {
    await expectOptionRefused({ fetch: 'globalThis.fetch' }, 'fetch');
  });

  it('options that are not an object', async () => {
    const error = await rejectionOf(resendAuthorizationMails(null as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^options\b/);
  });
});
