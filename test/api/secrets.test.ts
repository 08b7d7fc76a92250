// Tokens, AKs, SKs and security tokens never show up in an error: not in its message, its string
// form, its JSON, its stack or what a logger prints of it, whatever went wrong, even when the
// server echoes them back. Nor does the mock's request log hold them.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  isApiError,
  isAuthError,
  isNetworkError,
  isTimeoutError,
  resendAuthorizationMails,
  type ApiError,
  type Auth,
  type WorkspaceCallOptions,
} from '../../src/index.js';
import type { MockWorkspace } from '../../src/mock-server.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const VALID_TOKEN = 'valid-token-SECRET-0123456789abcdef';
const WRONG_TOKEN = 'wrong-token-SECRET-fedcba9876543210';
const FORBIDDEN_TOKEN = 'forbidden-token-SECRET-5555aaaa';
const AK = 'AKSECRETACCESSKEY0001';
const SK = 'sk-SECRET-signing-key-0001';
const WRONG_SK = 'sk-SECRET-wrong-signing-key-0002';
const TEMP = { ak: 'AKSECRETTEMPORARY0003', sk: 'sk-SECRET-temporary-0003', securityToken: 'sts-SECRET-security-token-0003' };
const SECRETS = [VALID_TOKEN, WRONG_TOKEN, FORBIDDEN_TOKEN, AK, SK, WRONG_SK, TEMP.ak, TEMP.sk, TEMP.securityToken];

const mock = useMock({ tokens: [VALID_TOKEN], forbiddenTokens: [FORBIDDEN_TOKEN], credentials: [{ ak: AK, sk: SK }, TEMP] });

/** Every form in which an error may end up in a log or a bug report. */
function renderings(error: unknown): Record<string, string> {
  const asError = error as Error;
  return {
    message: asError.message,
    string: String(error),
    json: JSON.stringify(error),
    stack: asError.stack ?? '',
    inspect: inspect(error, { depth: 8, showHidden: false }),
  };
}

function expectNoSecret(error: unknown, secrets: readonly string[] = SECRETS): void {
  for (const [form, text] of Object.entries(renderings(error))) {
    for (const secret of secrets) {
      for (const part of secret.split('\n').filter((line) => line.length >= 6)) {
        expect(text, `${form} of ${(error as Error).name} holds a secret`).not.toContain(part);
      }
    }
  }
}

function expectLogClean(target: MockWorkspace): void {
  const log = JSON.stringify(target.requests);
  for (const secret of SECRETS) expect(log).not.toContain(secret);
}

function send(auth: Auth | Record<string, unknown>, overrides: Partial<WorkspaceCallOptions> = {}) {
  return resendAuthorizationMails({ ...callOptions(mock.current, { auth: auth as Auth, ...overrides }), records: [{ id: 'r1' }] });
}

const provider = (token: string) => async () => token;

/** Credentials the mock accepts, with the secret strings each one puts in the client's hands. */
const validAuths: Array<[string, () => Auth, readonly string[]]> = [
  ['a token string', () => ({ token: VALID_TOKEN }), [VALID_TOKEN]],
  ['a token provider', () => ({ token: provider(VALID_TOKEN) }), [VALID_TOKEN]],
  ['AK/SK', () => ({ ak: AK, sk: SK }), [AK, SK]],
  ['temporary AK/SK with a security token', () => ({ ...TEMP }), [TEMP.ak, TEMP.sk, TEMP.securityToken]],
];

describe('refused credentials (401, 403)', () => {
  it.each<[string, Auth, number]>([
    ['a wrong token string', { token: WRONG_TOKEN }, 401],
    ['a wrong token from a provider', { token: provider(WRONG_TOKEN) }, 401],
    ['a wrong SK', { ak: AK, sk: WRONG_SK }, 401],
    ['a wrong security token', { ...TEMP, securityToken: `${TEMP.securityToken}-x` }, 401],
    ['a forbidden token string', { token: FORBIDDEN_TOKEN }, 403],
    ['a forbidden token from a provider', { token: provider(FORBIDDEN_TOKEN) }, 403],
  ])('%s: the ApiError holds no secret', async (_what, auth, status) => {
    const error = await rejectionOf(send(auth));
    expect(isApiError(error)).toBe(true);
    expect((error as ApiError).status).toBe(status);
    expectNoSecret(error, [...SECRETS, `${TEMP.securityToken}-x`]);
    expectLogClean(mock.current);
  });
});

describe.each(validAuths)('failures with %s', (_what, auth, used) => {
  it('500: the ApiError holds no secret', async () => {
    mock.current.inject({ status: 500 });
    const error = await rejectionOf(send(auth()));
    expect(isApiError(error)).toBe(true);
    expectNoSecret(error);
    expectLogClean(mock.current);
  });

  it('timeout: the TimeoutError holds no secret', async () => {
    mock.current.inject({ delayMs: 2_000 });
    const error = await rejectionOf(send(auth(), { timeoutMs: 100 }));
    expect(isTimeoutError(error)).toBe(true);
    expectNoSecret(error);
    expectLogClean(mock.current);
  });

  it('dropped connection: the NetworkError (and its cause) holds no secret', async () => {
    mock.current.inject({ drop: true });
    const error = await rejectionOf(send(auth()));
    expect(isNetworkError(error)).toBe(true);
    expectNoSecret(error);
    expectNoSecret((error as Error).cause);
    expectLogClean(mock.current);
  });

  it('a server that echoes every secret in error_msg: the client redacts them', async () => {
    mock.current.inject({ status: 401, errorMsg: `credentials ${SECRETS.join(' and ')} are not valid` });
    const error = await rejectionOf(send(auth()));
    expect(isApiError(error)).toBe(true);
    const api = error as ApiError;
    // The secrets of this call are what the client knows: those are replaced.
    for (const secret of used) expect(api.errorMsg).not.toContain(secret);
    expect(api.errorMsg).toContain('[redacted]');
    expectNoSecret(error, used);
  });

  it('a server that echoes the secrets in a non-JSON body: nothing of it reaches the error', async () => {
    mock.current.inject({ status: 502, body: `<html>bad gateway for ${SECRETS.join(' ')}</html>`, contentType: 'text/html' });
    const error = await rejectionOf(send(auth()));
    expect(isApiError(error)).toBe(true);
    expectNoSecret(error);
  });
});

describe('a refused connection', () => {
  it('the NetworkError holds no secret', async () => {
    const error = await rejectionOf(send({ token: VALID_TOKEN }, { endpoint: 'http://127.0.0.1:1' }));
    expect(isNetworkError(error)).toBe(true);
    expectNoSecret(error);
    expectNoSecret((error as Error).cause);
  });
});

describe('unusable credentials are refused by the client with an AuthError that does not quote them', () => {
  const NEWLINE_TOKEN = 'token-SECRET-line-one\r\nX-Injected: token-SECRET-line-two';

  it.each<[string, Auth]>([
    ['a token string with a newline', { token: NEWLINE_TOKEN }],
    ['a token with a newline from a provider', { token: provider(NEWLINE_TOKEN) }],
    ['a token with a non-ASCII character', { token: 'token-SECRET-ünïcode-0001' }],
    ['a token with a space', { token: 'token-SECRET with-space-0001' }],
    ['an AK with a newline', { ak: 'AK-SECRET-line\nmore', sk: SK }],
    ['a security token with a newline', { ...TEMP, securityToken: 'sts-SECRET-line\nmore' }],
  ])('%s: AuthError, no request', async (_what, auth) => {
    const error = await rejectionOf(send(auth));
    expect(isAuthError(error)).toBe(true);
    expect((error as Error).message).toMatch(/not usable as a header value/);
    const values = Object.values(auth).filter((value): value is string => typeof value === 'string');
    expectNoSecret(error, [...SECRETS, ...values, NEWLINE_TOKEN]);
    expect((error as Error).message).not.toContain('SECRET');
    expect(mock.current.requests).toHaveLength(0);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a number', 42],
    ['an empty string', ''],
    ['an object', { token: VALID_TOKEN }],
  ])('a provider returning %s: AuthError, no request', async (_what, value) => {
    const error = await rejectionOf(send({ token: async () => value as string }));
    expect(isAuthError(error)).toBe(true);
    expectNoSecret(error);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('a provider that throws: AuthError keeping the cause, holding no secret, no request', async () => {
    const failure = new Error('IAM answered 503');
    const error = await rejectionOf(
      send({
        token: () => {
          throw failure;
        },
      }),
    );
    expect(isAuthError(error)).toBe(true);
    expect((error as Error).cause).toBe(failure);
    expect((error as Error).message).toMatch(/token provider failed/);
    expect(JSON.stringify(error)).not.toContain('IAM answered 503');
    expectNoSecret(error);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('a provider that rejects: the same', async () => {
    const error = await rejectionOf(send({ token: () => Promise.reject(new Error('no network to IAM')) }));
    expect(isAuthError(error)).toBe(true);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('secrets in other parts of an error answer', () => {
  it('a server that echoes the token as error_code: the error does not repeat it', async () => {
    mock.current.inject({ status: 400, errorCode: VALID_TOKEN, errorMsg: 'bad token' });
    const error = await rejectionOf(send({ token: VALID_TOKEN }));
    expect(isApiError(error)).toBe(true);
    expectNoSecret(error);
  });
});

describe('the mock\'s request log', () => {
  it.each(validAuths)('holds no secret after a successful call with %s', async (_what, auth) => {
    await send(auth());
    expect(mock.current.requests).toHaveLength(1);
    expectLogClean(mock.current);
  });
});
