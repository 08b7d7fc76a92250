// When no usable answer comes (too slow, connection lost, nobody listening, caller gave up,
// or an answer the client cannot read), the call fails with an error that says which, fast.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  NetworkError,
  TimeoutError,
  isApiError,
  isNetworkError,
  isTimeoutError,
  resendAuthorizationMails,
  type WorkspaceCallOptions,
} from '../../src/index.js';
import { startMockWorkspace } from '../../src/mock-server.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const mock = useMock();

function send(overrides: Partial<WorkspaceCallOptions> = {}) {
  return resendAuthorizationMails({ ...callOptions(mock.current, overrides), records: [{ id: 'r1' }] });
}

/** A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('timeouts', () => {
  it('an answer slower than timeoutMs fails with a retryable TimeoutError naming the timeout', async () => {
    mock.current.inject({ delayMs: 3_000 });
    const started = Date.now();
    const error = await rejectionOf(send({ timeoutMs: 200 }));
    const elapsed = Date.now() - started;

    expect(isTimeoutError(error)).toBe(true);
    expect(error).toBeInstanceOf(TimeoutError);
    const timeout = error as TimeoutError;
    expect(timeout.retryable).toBe(true);
    expect(timeout.timeoutMs).toBe(200);
    expect(timeout.message).toContain('200 ms');
    expect(timeout.request).toBe(`POST /v1/${mock.current.projectId}/mails/actions/send`);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('an answer within timeoutMs succeeds', async () => {
    mock.current.inject({ delayMs: 50 });
    await expect(send({ timeoutMs: 2_000 })).resolves.toMatchObject({ count: 1 });
  });

  it('a timeoutMs beyond what setTimeout can hold (2^31 ms) is refused up front or honoured, never fired at once', async () => {
    // setTimeout clamps delays over 2^31-1 ms to 1 ms; a caller meaning "practically no timeout" must not get one.
    // Its own mock: a request abandoned at once may still arrive after this test.
    const own = await startMockWorkspace();
    try {
      const outcome = await resendAuthorizationMails({ ...callOptions(own, { timeoutMs: 2 ** 31 }), records: [{ id: 'r1' }] }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        expect(isTimeoutError(outcome.error), String(outcome.error)).toBe(false);
        expect(outcome.error).toBeInstanceOf(TypeError);
        expect((outcome.error as Error).message).toMatch(/^timeoutMs\b/);
        expect(own.requests).toHaveLength(0);
      } else {
        expect(outcome.result.count).toBe(1);
      }
    } finally {
      await own.close();
    }
  });

  it('a hung error answer is a TimeoutError too, not an ApiError', async () => {
    mock.current.inject({ status: 503, delayMs: 3_000 });
    expect(isTimeoutError(await rejectionOf(send({ timeoutMs: 150 })))).toBe(true);
  });
});

describe('network errors', () => {
  it('a connection dropped without an answer is a retryable NetworkError with its cause', async () => {
    mock.current.inject({ drop: true });
    const error = await rejectionOf(send());

    expect(isNetworkError(error)).toBe(true);
    expect(error).toBeInstanceOf(NetworkError);
    const network = error as NetworkError;
    expect(network.retryable).toBe(true);
    expect(network.cause).toBeInstanceOf(Error);
    expect(network.request).toBe(`POST /v1/${mock.current.projectId}/mails/actions/send`);
    expect(network.message).toContain('network error');
    expect(mock.current.requests[0]?.status).toBe('dropped');
  });

  it('a connection dropped after a delay is a NetworkError, not a TimeoutError', async () => {
    mock.current.inject({ drop: true, delayMs: 100 });
    expect(isNetworkError(await rejectionOf(send({ timeoutMs: 5_000 })))).toBe(true);
  });

  it('a refused connection (nothing listens on the port) is a retryable NetworkError', async () => {
    const port = await closedPort();
    const error = await rejectionOf(send({ endpoint: `http://127.0.0.1:${port}` }));
    expect(isNetworkError(error)).toBe(true);
    expect((error as NetworkError).retryable).toBe(true);
    expect((error as NetworkError).cause).toBeDefined();
  });

  it('a custom fetch that rejects gives a NetworkError whose cause is the rejection', async () => {
    const failure = new TypeError('boom from a custom fetch');
    const error = await rejectionOf(send({ fetch: () => Promise.reject(failure) }));
    expect(isNetworkError(error)).toBe(true);
    expect((error as NetworkError).cause).toBe(failure);
  });
});

describe('an aborted signal rejects with the signal\'s reason', () => {
  it('a signal aborted before the call: its reason, and no request is made', async () => {
    const reason = new Error('the user closed the page');
    const error = await rejectionOf(send({ signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    expect(mock.current.requests).toHaveLength(0);
  });

  it('a signal aborted while waiting for the answer: its reason, not a TimeoutError', async () => {
    mock.current.inject({ delayMs: 3_000 });
    const controller = new AbortController();
    const reason = new Error('cancelled by the caller');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await rejectionOf(send({ signal: controller.signal, timeoutMs: 10_000 }));
    expect(error).toBe(reason);
    expect(isTimeoutError(error)).toBe(false);
    expect(isNetworkError(error)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a signal aborted without a reason rejects with its default AbortError', async () => {
    mock.current.inject({ delayMs: 3_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(send({ signal: controller.signal }));
    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('a signal aborted while the token provider runs: its reason, and no request is made', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled while fetching a token');
    const error = await rejectionOf(
      send({
        signal: controller.signal,
        auth: {
          token: async () => {
            controller.abort(reason);
            return mock.current.token;
          },
        },
      }),
    );
    expect(error).toBe(reason);
    expect(mock.current.requests).toHaveLength(0);
  });
});

describe('error answers the client cannot read are still ApiErrors', () => {
  it('a non-JSON error body (an HTML gateway page): ApiError with status, errorMsg and errorCode undefined', async () => {
    mock.current.inject({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' });
    const error = await rejectionOf(send());
    expect(isApiError(error)).toBe(true);
    const api = error as ApiError;
    expect(api.status).toBe(502);
    expect(api.retryable).toBe(true);
    expect(api.errorMsg).toBeUndefined();
    expect(api.errorCode).toBeUndefined();
    expect(api.requestId).toBe(mock.current.requests[0]?.id);
  });

  it('a JSON error body of another shape gives no code or message', async () => {
    mock.current.inject({ status: 500, body: '{"error_code": 42, "error_msg": ["no"]}', contentType: 'application/json' });
    const error = (await rejectionOf(send())) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.errorCode).toBeUndefined();
    expect(error.errorMsg).toBeUndefined();
  });

  it('an empty error body: ApiError with status only', async () => {
    mock.current.inject({ status: 503, body: '' });
    const error = (await rejectionOf(send())) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(503);
    expect(error.errorMsg).toBeUndefined();
  });

  it('a 5 MB error body: ApiError quickly, with a short message', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    mock.current.inject({ status: 500, body: huge });
    const started = Date.now();
    const error = (await rejectionOf(send())) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.errorMsg).toBeUndefined();
    expect(error.message.length).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a 5 MB JSON error body (an error_msg too long to read) gives no message rather than a huge one', async () => {
    mock.current.inject({
      status: 500,
      body: JSON.stringify({ error_code: 'WKS.0500', error_msg: 'y'.repeat(5 * 1024 * 1024) }),
      contentType: 'application/json',
    });
    const error = (await rejectionOf(send())) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message.length).toBeLessThan(100_000);
    expect(JSON.stringify(error).length).toBeLessThan(200_000);
  });
});
