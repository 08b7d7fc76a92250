// @vitest-environment happy-dom
// README: `serveOutbox` takes the options of the browser `createOutbox` except `autoStart` and
// `sender`, plus `sliceMs` (1,000–240,000) and `tokenWaitMs`. Every bad one is a TypeError naming
// it, thrown before anything is opened: no IndexedDB database, no listener on the worker's
// scope, no BroadcastChannel, no Web Lock asked for.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../src/index.js';
import { serveOutbox } from '../../../src/service-worker.js';
import { until } from '../../helpers/until.js';
import { installWebLocks } from '../../helpers/web-locks.js';

const base = { endpoint: 'https://workspace.example.com', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 't' } };

let removeLocks: () => void;
let opened: string[];
beforeEach(() => {
  removeLocks = installWebLocks();
  opened = [];
  const note = (what: string) => () => void opened.push(what);
  vi.spyOn(indexedDB, 'open').mockImplementation(((...args: unknown[]) => (note('indexedDB.open')(), (IDBFactory.prototype.open as (...a: unknown[]) => IDBOpenDBRequest).apply(indexedDB, args))) as never);
  vi.spyOn(globalThis, 'addEventListener').mockImplementation(note('addEventListener'));
  vi.spyOn((navigator as unknown as { locks: LockManager }).locks, 'request').mockImplementation((() => (note('locks.request')(), new Promise(() => undefined))) as never);
  const Channel = globalThis.BroadcastChannel;
  vi.stubGlobal('BroadcastChannel', class extends Channel {
    constructor(name: string) {
      super(name);
      opened.push('BroadcastChannel');
      this.close();
    }
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  removeLocks();
});

describe('serveOutbox with a bad option', () => {
  it('(the watch works: good options open the scope listeners, the channel and the lock)', async () => {
    const served = serveOutbox({ ...base, name: `options-${process.pid}` });
    await until(() => opened.includes('indexedDB.open'), 'the store to open');
    expect(opened).toEqual(expect.arrayContaining(['addEventListener', 'BroadcastChannel', 'locks.request', 'indexedDB.open']));
    await served.close();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['sliceMs NaN', { sliceMs: Number.NaN }, /^sliceMs /],
    ['sliceMs as a string', { sliceMs: '60000' }, /^sliceMs /],
    ['sliceMs 999', { sliceMs: 999 }, /^sliceMs /],
    ['sliceMs 240 001', { sliceMs: 240_001 }, /^sliceMs /],
    ['sliceMs Infinity', { sliceMs: Infinity }, /^sliceMs /],
    ['sliceMs null', { sliceMs: null }, /^sliceMs /],
    ['tokenWaitMs NaN', { tokenWaitMs: Number.NaN }, /^tokenWaitMs /],
    ['tokenWaitMs -1', { tokenWaitMs: -1 }, /^tokenWaitMs /],
    ['tokenWaitMs as a string', { tokenWaitMs: '5000' }, /^tokenWaitMs /],
    ['watchOnline as a string', { watchOnline: 'no' }, /^watchOnline /],
    ['name 5', { name: 5 }, /^name /],
    ['name empty', { name: '' }, /^name /],
    ['auth missing', { auth: undefined }, /^auth /],
    ["auth 'from-pages ' (a typo)", { auth: 'from-pages ' }, /^auth /],
    ['auth {}', { auth: {} }, /^auth /],
    ['endpoint http: off loopback', { endpoint: 'http://workspace.example.com' }, /^endpoint /],
    ['projectId', { projectId: 'x' }, /^projectId /],
    ['batchSize 0', { batchSize: 0 }, /^batchSize /],
    ['retry.maxAttempts 0', { retry: { maxAttempts: 0 } }, /^retry\.maxAttempts /],
    ['requestTimeoutMs -1', { requestTimeoutMs: -1 }, /^requestTimeoutMs /],
    ['autoStart', { autoStart: false }, /^autoStart /],
    ["sender 'service-worker'", { sender: 'service-worker' }, /^sender /],
    ['a misspelt option', { slicems: 1000 }, /slicems/],
  ])('%s: a TypeError naming it, nothing opened', (_what, extra, message) => {
    expect(() => serveOutbox({ ...base, ...extra } as never)).toThrow(TypeError);
    expect(() => serveOutbox({ ...base, ...extra } as never)).toThrow(message);
    expect(opened).toEqual([]);
  });

  it.each([[null], [undefined], ['console'], [[]]])('options %j: a TypeError naming options, nothing opened', (options) => {
    expect(() => serveOutbox(options as never)).toThrow(/^options must be an object/);
    expect(opened).toEqual([]);
  });

  it("store (not an option of serveOutbox: the worker drains the pages' IndexedDB queue) is refused, nothing opened", () => {
    expect(() => serveOutbox({ ...base, store: new MemoryStore() } as never)).toThrow(/^store /);
    expect(opened).toEqual([]);
  });
});
