// Every option with hostile values: the error is a TypeError that names the option and never
// holds a secret, whatever the value is (a getter that throws, a proxy, a polluted prototype, the
// secret itself in the wrong place). Nothing is sent while options are being refused.
import { describe, expect, it } from 'vitest';
import { createOutbox, resendAuthorizationMails } from '../../../src/index.js';
import { createOutbox as createNodeOutbox } from '../../../src/node.js';
import { createOutbox as createBrowserOutbox } from '../../../src/browser.js';
import { rejectionOf, thrownBy, type Caught } from '../../helpers/caught.js';
import { useMocks } from '../../helpers/mock-service.js';

const SECRET = 'SECRET-Tok3n-abcdefABCDEF';
const PROJECT = '0123456789abcdef0123456789abcdef';
const base = { endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: SECRET } };
const startMock = useMocks();

/** A getter that throws an error quoting the secret. */
const throwing = (key: string, rest: object = {}) =>
  Object.defineProperty({ ...rest }, key, { enumerable: true, get: () => { throw new Error(`boom ${SECRET}`); } });

function expectNamed(error: Caught, option: string): void {
  expect(error).toBeInstanceOf(TypeError);
  expect(error.message.startsWith(option) || error.message.includes(` ${option}`)).toBe(true);
  for (const text of [error.message, String(error.stack), JSON.stringify(error)]) expect(text).not.toContain(SECRET);
}

const closeIfMade = (make: () => unknown) => () => {
  const made = make() as { close?: () => Promise<void> } | undefined;
  void made?.close?.();
};

describe('createOutbox refuses bad values naming the option', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['batchSize', { batchSize: NaN }], ['batchSize', { batchSize: -0 }], ['batchSize', { batchSize: 1e400 }],
    ['batchSize', { batchSize: { valueOf: () => 5 } }], ['batchSize', { batchSize: '5' }], ['batchSize', { batchSize: 2.5 }],
    ['concurrency', { concurrency: 0 }], ['concurrency', { concurrency: 65 }],
    ['maxRequestsPerSecond', { maxRequestsPerSecond: 0 }], ['maxRequestsPerSecond', { maxRequestsPerSecond: Infinity }],
    ['requestTimeoutMs', { requestTimeoutMs: -0 }], ['requestTimeoutMs', { requestTimeoutMs: 2 ** 31 }],
    ['maxAgeMs', { maxAgeMs: -1 }], ['maxAgeMs', { maxAgeMs: NaN }],
    ['retry', { retry: [] }], ['retry', { retry: 5 }], ['retry.factor', { retry: { factor: 0.5 } }],
    ['retry.jitter', { retry: { jitter: 1.5 } }], ['retry.maxAttempts', { retry: { maxAttempts: 0 } }],
    ['retry.maxDelayMs', { retry: { minDelayMs: 100, maxDelayMs: 10 } }], ['retry.minDelayMs', { retry: { minDelayMs: -1 } }],
    ['now', { now: 5 }], ['store', { store: {} }], ['signal', { signal: { aborted: 'no' } }], ['fetch', { fetch: 'fetch' }],
    ['language', { language: SECRET }], ['projectId', { projectId: SECRET }], ['endpoint', { endpoint: SECRET }],
    ['endpoint', { endpoint: `https://user:${SECRET}@example.com` }], ['endpoint', { endpoint: `https://example.com/?t=${SECRET}` }],
    ['auth', { auth: SECRET }], ['auth.token', { auth: { token: 123 } }], ['auth.token', { auth: { token: { toString: () => SECRET } } }],
    ['auth.sk', { auth: { ak: SECRET } }], ['auth.sk', { auth: { ak: 'AKAKAKAK', sk: 42 } }], ['auth.ak', { auth: { ak: 7, sk: SECRET } }],
    ['auth.securityToken', { auth: { ak: 'AKAKAKAK', sk: SECRET, securityToken: 5 } }], ['auth', { auth: { token: SECRET, ak: 'a', sk: 'b' } }],
    ['unknown option', { [SECRET.slice(0, 3)]: 1 }],
  ];
  it.each(cases)('%s: %j', (option, bad) => {
    expectNamed(thrownBy(closeIfMade(() => createOutbox({ ...base, ...bad } as never))), option);
  });

  it('Node extras and browser extras are named too', () => {
    for (const [option, bad] of [['dir', { dir: '' }], ['dir', { dir: 5 }], ['lockWaitMs', { lockWaitMs: -1 }], ['lockWaitMs', { lockWaitMs: NaN }]] as const) {
      expectNamed(thrownBy(closeIfMade(() => createNodeOutbox({ ...base, ...bad } as never))), option);
    }
    for (const [option, bad] of [['name', { name: '' }], ['autoStart', { autoStart: 'yes' }], ['watchOnline', { watchOnline: 1 }]] as const) {
      expectNamed(thrownBy(closeIfMade(() => createBrowserOutbox({ ...base, ...bad } as never))), option);
    }
  });
});

describe('hostile option objects', () => {
  it.each([
    ['batchSize', () => throwing('batchSize', base)],
    ['retry.minDelayMs', () => ({ ...base, retry: throwing('minDelayMs') })],
    ['auth.token', () => ({ ...base, auth: throwing('token') })],
    ['auth.sk', () => ({ ...base, auth: throwing('sk', { ak: 'AKAKAKAK' }) })],
  ])('a getter that throws a secret (%s) is a TypeError naming the option, without the secret', (option, make) => {
    expectNamed(thrownBy(closeIfMade(() => createOutbox(make() as never))), option);
  });

  it('a proxy whose traps throw a secret is a TypeError without the secret', () => {
    const proxy = new Proxy({ ...base }, { ownKeys: () => { throw new Error(SECRET); }, get: (target, key) => { if (key === 'batchSize') throw new Error(SECRET); return Reflect.get(target, key); } });
    expectNamed(thrownBy(closeIfMade(() => createOutbox(proxy as never))), 'options');
  });

  it('enqueue options: a getter that throws a secret is a TypeError naming it', async () => {
    const outbox = createOutbox(base);
    try {
      expectNamed(await rejectionOf(outbox.enqueue({ id: 'a' }, throwing('projectId') as never)), 'projectId');
    } finally {
      await outbox.close();
    }
  });

  it('enqueue options: a misspelt key is refused, not ignored (records would go to the default project)', async () => {
    const outbox = createOutbox(base);
    try {
      expectNamed(await rejectionOf(outbox.enqueue({ id: 'a' }, { projectid: 'fedcba9876543210fedcba9876543210' } as never)), 'unknown option projectid');
      expect(await outbox.pending()).toEqual([]);
    } finally {
      await outbox.close();
    }
  });

  it('enqueue options with the secret as projectId or language never quote it... except projectId, which is not a secret', async () => {
    const outbox = createOutbox(base);
    try {
      expectNamed(await rejectionOf(outbox.enqueue({ id: 'a' }, { language: SECRET } as never)), 'language');
      expect((await rejectionOf(outbox.enqueue({ id: 'a' }, { projectId: 5 } as never))).message).toMatch(/^projectId /);
    } finally {
      await outbox.close();
    }
  });

  it('resendAuthorizationMails: a getter that throws a secret is a TypeError naming it, and nothing is sent', async () => {
    const mock = await startMock();
    const call = { endpoint: mock.url, projectId: mock.projectId, auth: { token: SECRET }, records: [{ id: 'a' }] };
    expectNamed(await rejectionOf(resendAuthorizationMails(throwing('retry', call) as never)), 'retry');
    expectNamed(await rejectionOf(resendAuthorizationMails({ ...call, retry: throwing('retries') } as never)), 'retry.retries');
    expect(mock.requests).toHaveLength(0);
  });
});

// zod itself cannot build a schema under a polluted Object.prototype (it iterates inherited
// keys); the outbox builds its schemas on first use, so it then refuses to start with zod's
// TypeError. What must hold either way: nothing inherited is taken for an option, and an
// inherited `fetch` never receives the token.
describe('a polluted Object.prototype', () => {
  it('an inherited key is never taken for an option: the one-shot call ignores it and sends', async () => {
    const mock = await startMock();
    const proto = Object.prototype as Record<string, unknown>;
    proto.retry = { retries: 5 };
    proto.language = 'not-a-language';
    try {
      await resendAuthorizationMails({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, records: [{ id: 'own' }] });
    } finally {
      delete proto.retry;
      delete proto.language;
    }
    expect(mock.deliveredIds()).toEqual(['own']);
    expect(mock.requests.map((request) => request.headers['x-language'])).toEqual([undefined]);
  });

  it('an inherited fetch is never handed the token', async () => {
    const mock = await startMock();
    const proto = Object.prototype as Record<string, unknown>;
    let stolen = 0;
    proto.fetch = (...args: Parameters<typeof fetch>) => (stolen++, globalThis.fetch(...args));
    try {
      await resendAuthorizationMails({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, records: [{ id: 'a' }] });
      try {
        const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token } });
        await outbox.enqueue({ id: 'b' });
        await outbox.drain();
        await outbox.close();
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError); // zod refusing to build a schema, see above
      }
    } finally {
      delete proto.fetch;
    }
    expect(stolen).toBe(0);
    expect(mock.deliveredIds()).toContain('a');
  });
});
