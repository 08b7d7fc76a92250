import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  NetworkError,
  OutboxError,
  ProtocolError,
  TimeoutError,
  ValidationError,
  isApiError,
  isAuthError,
  isNetworkError,
  isOutboxError,
  isProtocolError,
  isTimeoutError,
  isValidationError,
} from '../../src/index.js';

const MARK = Symbol.for('wks-mail-outbox/error');

const guards = {
  ApiError: isApiError,
  AuthError: isAuthError,
  NetworkError: isNetworkError,
  ProtocolError: isProtocolError,
  TimeoutError: isTimeoutError,
  ValidationError: isValidationError,
} as const;
type GuardedName = keyof typeof guards;

function sampleErrors(): Record<GuardedName, OutboxError> {
  return {
    ApiError: new ApiError({ status: 503, errorCode: 'WKS.0503', errorMsg: 'Service unavailable', requestId: 'req-1', request: 'POST /v1/p/mails/actions/send' }),
    AuthError: new AuthError('the auth token provider failed', { cause: new Error('IAM down') }),
    NetworkError: new NetworkError('POST /v1/p/mails/actions/send', { cause: new TypeError('fetch failed') }),
    ProtocolError: new ProtocolError('GET /mails', 'the answer is not JSON', 'req-2'),
    TimeoutError: new TimeoutError('POST /v1/p/mails/actions/send', 250),
    ValidationError: new ValidationError([{ index: 0, field: 'id', message: 'is required' }]),
  };
}

describe('error guards recognise errors by name, also across realms', () => {
  it.each(Object.keys(guards) as GuardedName[])('is%s() accepts its own class and refuses every other one', (name) => {
    const errors = sampleErrors();
    for (const [otherName, error] of Object.entries(errors)) {
      expect(guards[name](error), `${name} guard on a ${otherName}`).toBe(otherName === name);
    }
  });

  it.each(Object.keys(guards) as GuardedName[])('every %s has the literal name, is an Error and an OutboxError', (name) => {
    const error = sampleErrors()[name];
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(OutboxError);
    expect(isOutboxError(error)).toBe(true);
  });

  it.each(Object.keys(guards) as GuardedName[])('a plain object named %s and carrying the library mark is recognised without instanceof', (name) => {
    const foreign = { name, message: 'from another bundle', [MARK]: true };
    expect(foreign instanceof OutboxError).toBe(false);
    expect(guards[name](foreign)).toBe(true);
    expect(isOutboxError(foreign)).toBe(true);
  });

  it('an error built in another realm (node:vm context) is recognised', () => {
    const foreign: unknown = runInNewContext(`
      class ApiError extends Error {
        constructor() { super('503'); this.name = 'ApiError'; this.status = 503; this[Symbol.for('wks-mail-outbox/error')] = true; }
      }
      new ApiError();
    `);
    expect(foreign instanceof Error).toBe(false); // another realm's Error
    expect(foreign instanceof ApiError).toBe(false);
    expect(isApiError(foreign)).toBe(true);
    expect(isOutboxError(foreign)).toBe(true);
    expect(isTimeoutError(foreign)).toBe(false);
  });

  it('an error that merely has a matching name but not the library mark is not ours', () => {
    const impostor = Object.assign(new Error('x'), { name: 'ApiError' });
    expect(isApiError(impostor)).toBe(false);
    expect(isOutboxError(impostor)).toBe(false);
    // A DOMException named TimeoutError (AbortSignal.timeout) is not this library's TimeoutError.
    expect(isTimeoutError(new DOMException('signal timed out', 'TimeoutError'))).toBe(false);
  });

  it.each([null, undefined, 0, 'ApiError', Symbol('x'), [], () => undefined, { [MARK]: 'true', name: 'ApiError' }])(
    'isOutboxError and isApiError refuse %s',
    (value) => {
      expect(isOutboxError(value)).toBe(false);
      expect(isApiError(value)).toBe(false);
    },
  );
});

describe('retryable is part of every error', () => {
  it('network errors and timeouts are retryable; validation, auth and protocol errors are not', () => {
    const errors = sampleErrors();
    expect(errors.NetworkError.retryable).toBe(true);
    expect(errors.TimeoutError.retryable).toBe(true);
    expect(errors.ValidationError.retryable).toBe(false);
    expect(errors.AuthError.retryable).toBe(false);
    expect(errors.ProtocolError.retryable).toBe(false);
    expect(errors.ApiError.retryable).toBe(true); // 503
  });
});

describe('toJSON gives plain facts for logs: never the cause or the stack', () => {
  it.each(Object.keys(guards) as GuardedName[])('%s.toJSON() has name and message, no cause and no stack', (name) => {
    const error = sampleErrors()[name];
    const json = error.toJSON();
    expect(json['name']).toBe(name);
    expect(json['message']).toBe(error.message);
    expect(json).not.toHaveProperty('cause');
    expect(json).not.toHaveProperty('stack');
    const text = JSON.stringify(error);
    expect(text).not.toContain('IAM down');
    expect(text).not.toContain('fetch failed');
    expect(text).not.toContain('    at '); // no stack frame
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(json)));
  });

  it('an ApiError serialises the facts support staff need', () => {
    const json = sampleErrors().ApiError.toJSON();
    expect(json).toMatchObject({
      name: 'ApiError',
      status: 503,
      errorCode: 'WKS.0503',
      errorMsg: 'Service unavailable',
      requestId: 'req-1',
      kind: 'retryable',
      retryable: true,
      request: 'POST /v1/p/mails/actions/send',
    });
  });

  it('the cause is still kept on the error itself', () => {
    const errors = sampleErrors();
    expect((errors.NetworkError.cause as Error).message).toBe('fetch failed');
    expect((errors.AuthError.cause as Error).message).toBe('IAM down');
  });

  it('a ValidationError serialises its issues', () => {
    expect(sampleErrors().ValidationError.toJSON()['issues']).toEqual([{ index: 0, field: 'id', message: 'is required' }]);
  });
});

describe('messages name what happened', () => {
  it('an ApiError message holds the request, status, error code, error message and request id', () => {
    expect(sampleErrors().ApiError.message).toBe('POST /v1/p/mails/actions/send answered 503 WKS.0503: Service unavailable (request id req-1)');
  });

  it('a TimeoutError names its timeout', () => {
    const error = sampleErrors().TimeoutError as TimeoutError;
    expect(error.timeoutMs).toBe(250);
    expect(error.message).toContain('250 ms');
  });

  it('a ValidationError message names each record index and field', () => {
    const error = new ValidationError([
      { index: 2, field: 'id', message: 'is required' },
      { index: 5, field: 'account', message: 'expected a string, got a number' },
    ]);
    expect(error.message).toContain('record 2, field "id": is required');
    expect(error.message).toContain('record 5, field "account": expected a string, got a number');
  });
});
