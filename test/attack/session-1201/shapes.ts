// Entries of odd shapes, each made fresh (getters count their reads).
import { bareEntry } from '../../../src/testing.js';

export type Maker = () => unknown;
const base = (id: string) => bareEntry(id, { seq: 1 }) as unknown as Record<string, unknown>;

class EntryClass {
  constructor(values: Record<string, unknown>) {
    Object.assign(this, values);
  }
}
class GetterEntry {
  readonly #v: Record<string, unknown>;
  constructor(v: Record<string, unknown>) {
    this.#v = v;
  }
  get key() { return this.#v.key; }
  get record() { return this.#v.record; }
  get projectId() { return this.#v.projectId; }
  get seq() { return this.#v.seq; }
  get enqueuedAt() { return this.#v.enqueuedAt; }
  get attempts() { return this.#v.attempts; }
  get nextAttemptAt() { return this.#v.nextAttemptAt; }
  get state() { return this.#v.state; }
}

function nonEnumerable(id: string, field: string): Record<string, unknown> {
  const entry = base(id);
  const value = entry[field];
  delete entry[field];
  Object.defineProperty(entry, field, { value, enumerable: false, configurable: true, writable: true });
  return entry;
}

function flip(id: string, field: string, first: unknown, then: unknown): Record<string, unknown> {
  const entry = base(id);
  let reads = 0;
  Object.defineProperty(entry, field, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : then) });
  return entry;
}

export const SHAPES: Record<string, Maker> = {
  plain: () => base('plain'),
  frozen: () => Object.freeze({ ...base('frozen'), record: Object.freeze({ id: 'frozen' }) }),
  classInstance: () => new EntryClass(base('cls')),
  prototypeGetters: () => new GetterEntry(base('pg')),
  nullPrototype: () => Object.assign(Object.create(null), base('np')),
  nullPrototypeRecord: () => ({ ...base('npr'), record: Object.assign(Object.create(null), { id: 'npr' }) }),
  nonEnumerableState: () => nonEnumerable('nes', 'state'),
  nonEnumerableRecordId: () => {
    const e = base('neri');
    const record = {};
    Object.defineProperty(record, 'id', { value: 'neri', enumerable: false });
    return { ...e, record };
  },
  protoKeyInRecord: () => ({ ...base('pkr'), record: JSON.parse('{"id":"pkr","__proto__":{"x":1}}') }),
  protoKeyInEntry: () => Object.assign(JSON.parse('{"__proto__":{"x":1}}'), base('pke')),
  constructorKey: () => ({ ...base('ck'), constructor: 'x' }),
  proxyOwnKeysLies: () => new Proxy(base('pol'), { ownKeys: () => [] }),
  proxyDescriptorThrows: () => new Proxy(base('pdt'), { getOwnPropertyDescriptor: () => { throw new Error('gopd boom'); } }),
  proxyPlain: () => new Proxy(base('pp'), {}),
  proxyRecord: () => ({ ...base('prc'), record: new Proxy({ id: 'prc' }, {}) }),
  symbolKey: () => ({ ...base('sym'), [Symbol('s')]: 'secret' }),
  unknownKey: () => ({ ...base('unk'), secret: 'hunter2' }),
  unknownInRecord: () => ({ ...base('unkr'), record: { id: 'unkr', secret: 'hunter2' } }),
  unknownInLastError: () => ({ ...base('unkl'), lastError: { name: 'E', message: 'm', retryable: true, secret: 'hunter2' } }),
  undefinedValues: () => ({ ...base('undef'), language: undefined, lastError: undefined, deadReason: undefined }),
  minusZero: () => ({ ...base('mz'), seq: -0, attempts: -0, nextAttemptAt: -0, enqueuedAt: -0 }),
  nanAttempts: () => ({ ...base('nan'), attempts: Number.NaN }),
  infiniteNext: () => ({ ...base('inf'), nextAttemptAt: Number.POSITIVE_INFINITY }),
  hugeSeq: () => ({ ...base('hs'), seq: Number.MAX_SAFE_INTEGER + 1 }),
  nullRecordField: () => ({ ...base('nrf'), record: { id: 'nrf', account: null } }),
  nullLanguage: () => ({ ...base('nl'), language: null }),
  arrayEntry: () => Object.assign([], base('arr')),
  arrayRecord: () => ({ ...base('arec'), record: Object.assign([], { id: 'arec' }) }),
  stringObjectId: () => ({ ...base('soi'), record: { id: new String('soi') } }),
  deepRecordField: () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = { deep };
    return { ...base('deep'), record: { id: 'deep', account: deep } };
  },
  toJSON: () => ({ ...base('tj'), toJSON: () => ({}) }),
  getterValidThenInvalid: () => flip('gvi', 'attempts', 1, -1),
  getterInvalidThenValid: () => flip('giv', 'attempts', -1, 1),
  getterThrows: () => {
    const e = base('gt');
    Object.defineProperty(e, 'seq', { enumerable: true, get: () => { throw new Error('getter boom'); } });
    return e;
  },
  lastErrorClass: () => ({ ...base('lec'), lastError: new EntryClass({ name: 'E', message: 'm', retryable: false }) }),
  keyMismatch: () => ({ ...base('km'), key: 'other:km' }),
  bigMessage: () => ({ ...base('bm'), lastError: { name: 'E', message: 'm'.repeat(4097), retryable: false } }),
  hugeRecordField: () => ({ ...base('hrf'), record: { id: 'hrf', account: 'a'.repeat(2_000_000) } }),
};
