// A DNS failure, a refused connection and a TLS failure read differently: `NetworkError` names
// which (in its `code` and its message), from the cause undici gives, and never quotes the URL,
// the host or the credentials. Real connections on 127.0.0.1, and a `.invalid` host (RFC 6761:
// never resolves, so DNS fails without a network).
import { describe, expect, it } from 'vitest';
import { NetworkError, isNetworkError, resendAuthorizationMails } from '../../src/index.js';
import { networkErrorCode } from '../../src/errors/NetworkError.js';
import { startMockWorkspace, type MockWorkspace } from '../../src/mock-server.js';
import { callOptions } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';
import { useMocks } from '../helpers/mock-service.js';

const startMock = useMocks('file');
const TOKEN = 'a-token-that-must-not-show-0123456789';

/** The NetworkError of one send to `endpoint` (as `mock`'s project, with TOKEN). */
async function networkErrorOf(mock: MockWorkspace, endpoint: string): Promise<NetworkError> {
  const error = await rejectionOf(resendAuthorizationMails({ ...callOptions(mock, { endpoint, auth: { token: TOKEN } }), records: [{ id: 'r1' }] }));
  expect(isNetworkError(error), String(error)).toBe(true);
  const network = error as NetworkError;
  expect(network.retryable).toBe(true);
  expect(network.message).toMatch(new RegExp(`^POST /v1/${mock.projectId}/mails/actions/send failed: `));
  for (const text of [TOKEN, endpoint, new URL(endpoint).host]) expect(network.message).not.toContain(text);
  expect(JSON.stringify(network)).not.toContain(TOKEN);
  return network;
}

describe.concurrent('a network failure says which', () => {
  it('nothing listens on the port: refused, "connection refused"', async () => {
    const gone = await startMockWorkspace();
    await gone.close();
    const error = await networkErrorOf(gone, gone.url);
    expect(error.code).toBe('refused');
    expect(error.message).toContain('connection refused');
    expect(error.toJSON()).toMatchObject({ name: 'NetworkError', code: 'refused' });
  });

  it('the host name does not resolve: dns, "host not found"', async () => {
    const mock = await startMock();
    const error = await networkErrorOf(mock, 'https://workspace.no-such-region.invalid');
    expect(error.code).toBe('dns');
    expect(error.message).toContain('host not found');
  });

  it('https to a plain-HTTP server: tls, "TLS failure"', async () => {
    const mock = await startMock();
    const error = await networkErrorOf(mock, mock.url.replace(/^http:/, 'https:'));
    expect(error.code).toBe('tls');
    expect(error.message).toContain('TLS failure');
    // Nothing reached the service as a request.
    expect(mock.requests).toEqual([]);
  });
});

describe('the code read from a cause', () => {
  it.each([
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['EHOSTUNREACH', 'unreachable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['EWHATEVER', 'unknown'],
  ])('%s is %s, found along the cause chain', (code, expected) => {
    const cause = Object.assign(new Error('inner'), { code });
    expect(networkErrorCode(new TypeError('fetch failed', { cause }))).toBe(expected);
  });

  it('among the errors of an AggregateError (several addresses tried)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' });
    expect(networkErrorCode(new TypeError('fetch failed', { cause: new AggregateError([new Error('x'), refused]) }))).toBe('refused');
  });

  it('unknown for no cause (a browser says only "Failed to fetch"), a cycle, or a hostile getter', () => {
    expect(networkErrorCode(undefined)).toBe('unknown');
    expect(new NetworkError('POST /x').message).toBe('POST /x failed: no answer from the service (network error)');
    const cycle: { cause?: unknown } = {};
    cycle.cause = cycle;
    expect(networkErrorCode(cycle)).toBe('unknown');
    const hostile = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('no');
      },
    });
    expect(networkErrorCode(hostile)).toBe('unknown');
  });
});
