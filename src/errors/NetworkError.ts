import { OutboxError, errorGuard } from './OutboxError.js';

/**
 * What kind of network failure it was, read from the cause's `code` (Node's and undici's):
 * `dns` the host name did not resolve, `refused` nothing listens there, `reset` the connection
 * closed before an answer, `tls` the secure connection failed (certificate or protocol),
 * `unreachable` no route to the host, `timeout` the connection attempt timed out (before the
 * call's own `timeoutMs`, which is a `TimeoutError`), `unknown` anything else (a browser's
 * `fetch` says no more than "Failed to fetch").
 */
export type NetworkErrorCode = 'dns' | 'refused' | 'reset' | 'tls' | 'unreachable' | 'timeout' | 'unknown';

/** How each code reads in the message. None of them quotes the cause (its text may name the host or more). */
const DESCRIPTIONS: Record<NetworkErrorCode, string> = {
  dns: 'host not found, the DNS lookup failed',
  refused: 'connection refused, nothing listens at the endpoint',
  reset: 'connection closed before an answer came',
  tls: 'TLS failure, the secure connection or its certificate was refused',
  unreachable: 'network or host unreachable',
  timeout: 'connection attempt timed out',
  unknown: 'no answer from the service',
};

const CODES: Record<string, NetworkErrorCode> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  // OpenSSL's certificate verdicts that do not start with CERT_ (those that do are matched below).
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  HOSTNAME_MISMATCH: 'tls',
};

function codeOf(code: unknown): NetworkErrorCode | undefined {
  if (typeof code !== 'string') return undefined;
  if (/^(CERT_|ERR_TLS_|ERR_SSL_)/.test(code)) return 'tls';
  return Object.hasOwn(CODES, code) ? CODES[code] : undefined;
}

/**
 * The kind of failure behind `cause`: the first known `code` along its `cause` chain and, for
 * an `AggregateError` (several addresses tried), among its `errors`. Never throws.
 */
export function networkErrorCode(cause: unknown): NetworkErrorCode {
  const seen = new Set<unknown>();
  const queue: unknown[] = [cause];
  while (queue.length > 0 && seen.size < 16) {
    const error = queue.shift();
    if (typeof error !== 'object' || error === null || seen.has(error)) continue;
    seen.add(error);
    try {
      const found = codeOf((error as { code?: unknown }).code);
      if (found) return found;
      queue.push((error as { cause?: unknown }).cause);
      const errors = (error as { errors?: unknown }).errors;
      if (Array.isArray(errors)) queue.push(...errors.slice(0, 8));
    } catch {
      // A hostile getter: this one says nothing.
    }
  }
  return 'unknown';
}

/** No answer came: the connection failed or was dropped (maybe offline). Retryable. */
export class NetworkError extends OutboxError {
  override name = 'NetworkError' as const;
  override readonly retryable = true;
  readonly request: string;
  /** What failed: see `NetworkErrorCode`. Derived from `cause`. */
  readonly code: NetworkErrorCode;

  /** `request` is `METHOD /path` (no host, query or credentials); the message names the kind of failure, never the cause's text. */
  constructor(request: string, options?: { cause?: unknown }) {
    const code = networkErrorCode(options?.cause);
    super(`${request} failed: ${DESCRIPTIONS[code]} (network error)`, options);
    this.request = request;
    this.code = code;
  }
}

export const isNetworkError = /* @__PURE__ */ errorGuard<NetworkError>('NetworkError');
