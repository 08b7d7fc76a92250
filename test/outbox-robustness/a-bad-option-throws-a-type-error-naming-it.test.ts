// createOutbox() checks every option up front: a bad value throws a TypeError (synchronously,
// before anything is stored or sent) whose message names the option, so the mistake is found
// where it was made. Values at the edges of each range are accepted.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, MemoryStore, type Outbox, type OutboxOptions } from '../../src/index.js';
import { thrownBy } from '../helpers/caught.js';

const VALID = {
  endpoint: 'http://127.0.0.1:9',
  projectId: '0123456789abcdef0123456789abcdef',
  auth: { token: 'a-token' },
} as const;

type Case = readonly [label: string, option: string, overrides: Record<string, unknown>];

/** The valid options with `overrides` applied; a value of `undefined` removes the option. */
function optionsWith(overrides: Record<string, unknown>): OutboxOptions {
  const options: Record<string, unknown> = { ...VALID, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete options[key];
  return options as unknown as OutboxOptions;
}

const retry = (values: Record<string, unknown>) => ({ retry: values });

const BAD: readonly Case[] = [
  ['endpoint missing', 'endpoint', { endpoint: undefined }],
  ['endpoint empty', 'endpoint', { endpoint: '' }],
  ['endpoint not a URL', 'endpoint', { endpoint: 'not a url' }],
  ['endpoint not a string', 'endpoint', { endpoint: 42 }],
  ['endpoint plain http off loopback', 'endpoint', { endpoint: 'http://workspace.example.com' }],
  ['endpoint ftp', 'endpoint', { endpoint: 'ftp://127.0.0.1' }],
  ['endpoint with credentials', 'endpoint', { endpoint: 'https://user:pw@workspace.example.com' }],
  ['endpoint with a query', 'endpoint', { endpoint: 'https://workspace.example.com/?a=1' }],
  ['endpoint with a fragment', 'endpoint', { endpoint: 'https://workspace.example.com/#x' }],
  ['projectId missing', 'projectId', { projectId: undefined }],
  ['projectId empty', 'projectId', { projectId: '' }],
  ['projectId with a slash', 'projectId', { projectId: 'abc/def' }],
  ['projectId ..', 'projectId', { projectId: '..' }],
  ['projectId with whitespace', 'projectId', { projectId: 'abc def' }],
  ['projectId too long', 'projectId', { projectId: 'a'.repeat(129) }],
  ['projectId not a string', 'projectId', { projectId: 42 }],
  ['auth missing', 'auth', { auth: undefined }],
  ['auth null', 'auth', { auth: null }],
  ['auth empty', 'auth', { auth: {} }],
  ['auth.token empty', 'auth', { auth: { token: '' } }],
  ['auth.token a number', 'auth', { auth: { token: 42 } }],
  ['auth with token and keys', 'auth', { auth: { token: 't', ak: 'a', sk: 's' } }],
  ['auth.ak without sk', 'auth', { auth: { ak: 'a' } }],
  ['auth.sk empty', 'auth', { auth: { ak: 'a', sk: '' } }],
  ['auth.securityToken empty', 'auth', { auth: { ak: 'a', sk: 's', securityToken: '' } }],
  ['language unknown', 'language', { language: 'de-de' }],
  ['language in the wrong case', 'language', { language: 'EN-US' }],
  ['language empty', 'language', { language: '' }],
  ['language null', 'language', { language: null }],
  ['store empty object', 'store', { store: {} }],
  ['store a string', 'store', { store: 'memory' }],
  ['store missing methods', 'store', { store: { load: async () => ({ entries: [], meta: {} }) } }],
  ['store null', 'store', { store: null }],
  ['batchSize 0', 'batchSize', { batchSize: 0 }],
  ['batchSize 1.5', 'batchSize', { batchSize: 1.5 }],
  ['batchSize -1', 'batchSize', { batchSize: -1 }],
  ['batchSize NaN', 'batchSize', { batchSize: NaN }],
  ['batchSize Infinity', 'batchSize', { batchSize: Infinity }],
  ['batchSize a string', 'batchSize', { batchSize: '10' }],
  ['batchSize 10001', 'batchSize', { batchSize: 10_001 }],
  ['concurrency 0', 'concurrency', { concurrency: 0 }],
  ['concurrency 2.5', 'concurrency', { concurrency: 2.5 }],
  ['concurrency 65', 'concurrency', { concurrency: 65 }],
  ['concurrency a string', 'concurrency', { concurrency: '2' }],
  ['maxRequestsPerSecond 0', 'maxRequestsPerSecond', { maxRequestsPerSecond: 0 }],
  ['maxRequestsPerSecond -1', 'maxRequestsPerSecond', { maxRequestsPerSecond: -1 }],
  ['maxRequestsPerSecond NaN', 'maxRequestsPerSecond', { maxRequestsPerSecond: NaN }],
  ['maxRequestsPerSecond a string', 'maxRequestsPerSecond', { maxRequestsPerSecond: 'fast' }],
  ['requestTimeoutMs 0', 'requestTimeoutMs', { requestTimeoutMs: 0 }],
  ['requestTimeoutMs -1', 'requestTimeoutMs', { requestTimeoutMs: -1 }],
  ['requestTimeoutMs beyond setTimeout', 'requestTimeoutMs', { requestTimeoutMs: 2 ** 31 }],
  ['requestTimeoutMs NaN', 'requestTimeoutMs', { requestTimeoutMs: NaN }],
  ['requestTimeoutMs a string', 'requestTimeoutMs', { requestTimeoutMs: '1000' }],
  ['maxAgeMs 0', 'maxAgeMs', { maxAgeMs: 0 }],
  ['maxAgeMs -1', 'maxAgeMs', { maxAgeMs: -1 }],
  ['maxAgeMs NaN', 'maxAgeMs', { maxAgeMs: NaN }],
  ['maxAgeMs a string', 'maxAgeMs', { maxAgeMs: '7d' }],
  ['retry a string', 'retry', { retry: 'fast' }],
  ['retry a number', 'retry', { retry: 5 }],
  ['retry.minDelayMs -1', 'retry.minDelayMs', retry({ minDelayMs: -1 })],
  ['retry.minDelayMs NaN', 'retry.minDelayMs', retry({ minDelayMs: NaN })],
  ['retry.minDelayMs a string', 'retry.minDelayMs', retry({ minDelayMs: '5' })],
  ['retry.maxDelayMs below minDelayMs', 'retry.maxDelayMs', retry({ minDelayMs: 100, maxDelayMs: 50 })],
  ['retry.maxDelayMs below the default minDelayMs', 'retry.maxDelayMs', retry({ maxDelayMs: 500 })],
  ['retry.maxDelayMs a string', 'retry.maxDelayMs', retry({ maxDelayMs: 'x' })],
  ['retry.factor 0.5', 'retry.factor', retry({ factor: 0.5 })],
  ['retry.factor 0', 'retry.factor', retry({ factor: 0 })],
  ['retry.factor NaN', 'retry.factor', retry({ factor: NaN })],
  ['retry.jitter 1.5', 'retry.jitter', retry({ jitter: 1.5 })],
  ['retry.jitter -0.1', 'retry.jitter', retry({ jitter: -0.1 })],
  ['retry.maxAttempts 0', 'retry.maxAttempts', retry({ maxAttempts: 0 })],
  ['retry.maxAttempts 1.5', 'retry.maxAttempts', retry({ maxAttempts: 1.5 })],
  ['retry.maxAttempts -1', 'retry.maxAttempts', retry({ maxAttempts: -1 })],
  ['retry.maxAttempts a string', 'retry.maxAttempts', retry({ maxAttempts: '3' })],
  ['retry.maxRetryAfterMs -1', 'retry.maxRetryAfterMs', retry({ maxRetryAfterMs: -1 })],
  ['retry.maxRetryAfterMs NaN', 'retry.maxRetryAfterMs', retry({ maxRetryAfterMs: NaN })],
  ['an unknown option', 'colour', { colour: 'red' }],
  ['a misspelt option', 'batchsize', { batchsize: 5 }],
  ['an unknown retry option', 'retry.attempts', retry({ attempts: 3 })],
  ['signal an empty object', 'signal', { signal: {} }],
  ['signal a string', 'signal', { signal: 'abort' }],
  ['signal null', 'signal', { signal: null }],
  ['signal an object that only looks like one', 'signal', { signal: { aborted: false } }],
  ['fetch a string', 'fetch', { fetch: 'fetch' }],
  ['fetch an object', 'fetch', { fetch: {} }],
  ['fetch null', 'fetch', { fetch: null }],
];

const ACCEPTED: readonly (readonly [label: string, overrides: Record<string, unknown>])[] = [
  ['endpoint https with a trailing slash', { endpoint: 'https://workspace.ap-southeast-1.myhuaweicloud.com/' }],
  ['endpoint http on localhost', { endpoint: 'http://localhost:8080' }],
  ['endpoint http on [::1]', { endpoint: 'http://[::1]:8080' }],
  ['auth with ak, sk and securityToken', { auth: { ak: 'ak', sk: 'sk', securityToken: 'st' } }],
  ['auth.token a provider', { auth: { token: () => 'a-token' } }],
  ['language zh-cn', { language: 'zh-cn' }],
  ['store a MemoryStore', { store: new MemoryStore() }],
  ['batchSize 1', { batchSize: 1 }],
  ['batchSize 10000', { batchSize: 10_000 }],
  ['concurrency 64', { concurrency: 64 }],
  ['maxRequestsPerSecond 0.5', { maxRequestsPerSecond: 0.5 }],
  ['requestTimeoutMs at the setTimeout limit', { requestTimeoutMs: 2 ** 31 - 1 }],
  ['maxAgeMs 1', { maxAgeMs: 1 }],
  ['retry empty', { retry: {} }],
  ['retry.minDelayMs 0', retry({ minDelayMs: 0 })],
  ['retry.maxDelayMs equal to minDelayMs', retry({ minDelayMs: 50, maxDelayMs: 50 })],
  ['retry.minDelayMs above the default maxDelayMs', retry({ minDelayMs: 600_000 })],
  ['retry.factor 1', retry({ factor: 1 })],
  ['retry.jitter 0', retry({ jitter: 0 })],
  ['retry.jitter 1', retry({ jitter: 1 })],
  ['retry.maxAttempts 1', retry({ maxAttempts: 1 })],
  ['retry.maxAttempts Infinity', retry({ maxAttempts: Infinity })],
  ['retry.maxRetryAfterMs 0', retry({ maxRetryAfterMs: 0 })],
  ['signal an AbortSignal', { signal: new AbortController().signal }],
  ['fetch a function', { fetch: globalThis.fetch }],
];

const created: Outbox[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((outbox) => outbox.close()));
});

/** createOutbox that closes what it made; a throw is passed on. */
function create(options: OutboxOptions): Outbox {
  const outbox = createOutbox(options);
  created.push(outbox);
  return outbox;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The library's own wording: the message starts with the option ("batchSize must be …", "auth.token must …") or says "option <name>". */
function expectTypeErrorNaming(error: unknown, option: string): void {
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(new RegExp(`(^|option )${escapeRegExp(option)}\\b`));
}

describe('createOutbox with a bad option', () => {
  it.each(BAD)('%s: throws a TypeError naming %s', (_label, option, overrides) => {
    const error = thrownBy(() => create(optionsWith(overrides)));
    expectTypeErrorNaming(error, option);
  });

  it.each([
    ['null', null],
    ['a string', 'options'],
    ['undefined', undefined],
  ])('options %s: throws a TypeError naming options', (_label, value) => {
    expectTypeErrorNaming(thrownBy(() => create(value as unknown as OutboxOptions)), 'options');
  });

  it('does not echo a secret from a bad auth or endpoint', () => {
    const secrets = ['tok-SECRET-123456', 'AK-SECRET-123456', 'SK-SECRET-123456', 'pw-SECRET-123456'];
    const errors = [
      thrownBy(() => create(optionsWith({ auth: { token: secrets[0], ak: secrets[1], sk: secrets[2] } }))),
      thrownBy(() => create(optionsWith({ auth: { ak: secrets[1], sk: secrets[2], securityToken: 42 } }))),
      thrownBy(() => create(optionsWith({ endpoint: `https://user:${secrets[3]}@workspace.example.com` }))),
      thrownBy(() => create(optionsWith({ endpoint: `http://user:${secrets[3]}@example.com` }))),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(TypeError);
      for (const secret of secrets) expect(String(error)).not.toContain(secret);
    }
  });
});

describe('createOutbox with values at the edge of each range', () => {
  it.each(ACCEPTED)('%s: accepted', (_label, overrides) => {
    expect(() => create(optionsWith(overrides))).not.toThrow();
  });
});
