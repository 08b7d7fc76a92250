// Attack on src/api/plain-record.ts, the shortcut that checks plain records without zod: for any
// input, enqueue() must accept exactly what AuthorizationMailSchema accepts (given the input as
// the caller handed it) and store exactly the schema's output. Inputs that are not plain data:
// getters that change between reads, proxies, null prototypes, inherited fields, String objects,
// `__proto__` keys, odd blanks, a 10 MB id. Checked end to end: what pending() holds after a
// real enqueue, and what the mock service receives.
import { describe, expect, it } from 'vitest';
import { AuthorizationMailSchema, createOutbox, MemoryStore, isValidationError } from '../../../src/index.js';
import { useMocks } from '../../helpers/mock-service.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';

const startMock = useMocks();

/** A getter that answers `values` in turn (then its last value). */
function flipping(object: Record<string, unknown>, field: string, ...values: unknown[]): Record<string, unknown> {
  let reads = 0;
  Object.defineProperty(object, field, { enumerable: true, get: () => values[Math.min(reads++, values.length - 1)] });
  return object;
}

/** Each case builds a fresh input, so the schema and enqueue() each see it as the caller hands it. */
const CASES: Record<string, () => unknown> = {
  'null prototype': () => Object.assign(Object.create(null), { id: 'np', account: 'a' }),
  'inherited id and field': () => Object.assign(Object.create({ id: 'inh', app_group_id: 'g' }), { account: 'own' }),
  'class instance with a prototype getter': () =>
    new (class {
      get id() {
        return 'cls';
      }
      account = 'own';
    })(),
  'String object id': () => ({ id: new String('boxed') }),
  'String object field': () => ({ id: 's', account: new String('boxed') }),
  'JSON __proto__ key': () => JSON.parse('{"id":"jp","__proto__":{"account":"evil"},"account":"good"}'),
  'literal __proto__ (sets the prototype)': () => ({ __proto__: { account: 'from-proto' }, id: 'lp' }),
  'no-break space id': () => ({ id: '\u00a0' }),
  'BOM id': () => ({ id: '\ufeff' }),
  'zero-width space id': () => ({ id: '\u200b' }),
  'lone surrogate and control characters': () => ({ id: 'ls\ud800', account: '\u0000\u001f' }),
  'symbol keys and extra fields': () => ({ id: 'sym', [Symbol('x')]: 'y', extra: 1, account: null, send_at: undefined }),
  'a Date with an id': () => Object.assign(new Date(0), { id: 'date' }),
  'proxy counting reads': () => new Proxy({ id: 'px', account: 'a' }, { get: (target, key) => Reflect.get(target, key) }),
  'getter: valid id, then blank': () => flipping({}, 'id', 'first', ' '),
  'getter: number first, then a string (the shortcut falls back and reads again)': () => flipping({ id: 'flip' }, 'account', 5, 'now-a-string'),
  'getter: string first, then a number': () => flipping({ id: 'flop' }, 'account', 'a-string', 5),
  'getter: blank id first, then valid': () => flipping({}, 'id', '  ', 'second'),
};

/** What the schema makes of `input`: the record, or 'refused'. */
function schemaOf(input: unknown): unknown {
  const result = AuthorizationMailSchema.safeParse(input);
  return result.success ? JSON.stringify(result.data) : 'refused';
}

describe('enqueue() of records that are not plain data', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: accepted and stored exactly as the schema says`, async () => {
      const mock = await startMock();
      const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore(), retry: FAST_RETRY });
      try {
        const expected = schemaOf(make());
        const stored = await outbox.enqueue(make() as never).then(
          async () => JSON.stringify((await outbox.pending())[0]?.record),
          (error: unknown) => (isValidationError(error) ? 'refused' : Promise.reject(error)),
        );
        expect(stored).toBe(expected);
        if (expected !== 'refused') {
          await outbox.drain();
          expect(JSON.stringify(mock.requests.at(-1)?.body)).toBe(`{"records":[${expected}]}`);
        }
      } finally {
        await outbox.close();
      }
    });
  }

  it('a 10 MB id and field: stored and sent whole, as the schema gives them', async () => {
    const mock = await startMock();
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store: new MemoryStore(), retry: FAST_RETRY });
    try {
      const id = `big-${'é'.repeat(5 * 2 ** 20)}`;
      await outbox.enqueue({ id, account: 'x'.repeat(2 ** 20) });
      const [entry] = await outbox.pending();
      expect(entry?.record).toStrictEqual(AuthorizationMailSchema.parse({ id, account: 'x'.repeat(2 ** 20) }));
    } finally {
      await outbox.close();
    }
  });
});
