import { authHeaders, redactSecrets, type Auth } from './auth.js';
import { AuthError } from '../errors/AuthError.js';
import { parseErrorBody } from './error-body.js';
import { ApiError } from '../errors/ApiError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { ProtocolError } from '../errors/ProtocolError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { readBodyText } from './read-body.js';
import { retryAfterOfAnswer } from './retry-after-values.js';
import { boundServerText, MAX_SERVER_ID } from './server-text.js';
import type { Language } from './schemas.js';
import { CallOptionsSchema } from '../options/call-options.js';
import { ownOptions, parseOwnOptions } from '../options/parse-options.js';

/** Options shared by every call to the Workspace API. */
export interface WorkspaceCallOptions {
  /** Service base URL, e.g. `https://workspace.ap-southeast-1.myhuaweicloud.com`. `https:` only, except loopback. */
  readonly endpoint: string;
  /** Project ID: 32 lowercase hex characters (checked before anything is sent). */
  readonly projectId: string;
  /** A token (or provider) or AK/SK credentials. Never stored, logged or put into an error. */
  readonly auth: Auth;
  /** `X-Language` of the request. @default undefined (header not sent) */
  readonly language?: Language | undefined;
  /** Aborts the call; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Time allowed for the whole call, answer body included. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** `fetch` to use (a proxying or instrumented one). @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Ask a token provider for a fresh token (after a 401). @default false */
  readonly forceRefresh?: boolean | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export { MAX_TIMEOUT_MS } from './timer-limit.js';
/** Error bodies are small JSON; reading more would only let a broken proxy waste memory. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_SUCCESS_BODY_BYTES = 16 * 1024 * 1024;

/** One HTTP exchange with the service, as seen after a 2xx answer. */
export interface WorkspaceAnswer {
  status: number;
  requestId: string | undefined;
  text: string;
  /** `METHOD /path` of the request, for messages. */
  request: string;
}

interface CallShape {
  method: 'GET' | 'POST';
  /** Path below `/v1/{project_id}`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: string;
  /** The answer's body is not needed (the send API): a 2xx is success whatever it holds. */
  ignoreAnswerBody?: boolean;
}

/**
 * Checks the options every call shares, before anything is sent, with the options schema the
 * outbox shares (`CallOptionsSchema`). @throws TypeError naming the first bad option.
 */
export function checkCallOptions(options: WorkspaceCallOptions): { endpoint: string; timeoutMs: number } {
  const { endpoint, timeoutMs } = readCallOptions(options);
  return { endpoint, timeoutMs };
}

/**
 * `checkCallOptions`, and the options as read: own properties only, each read once (an
 * inherited `fetch` must never receive the token). A call uses these, not what it was given.
 */
export function readCallOptions<O extends WorkspaceCallOptions>(given: O): { endpoint: string; timeoutMs: number; options: O } {
  const options = ownOptions(given);
  const { endpoint, timeoutMs = DEFAULT_TIMEOUT_MS } = parseOwnOptions(CallOptionsSchema, options);
  return { endpoint, timeoutMs, options };
}

/**
 * Sends one request and returns the 2xx answer's body, or throws: `ApiError` for any other
 * status, `TimeoutError`, `NetworkError`, or the signal's reason when aborted.
 */
export async function callWorkspace(given: WorkspaceCallOptions, call: CallShape): Promise<WorkspaceAnswer> {
  const { endpoint, timeoutMs, options } = readCallOptions(given);
  options.signal?.throwIfAborted();
  const url = new URL(`${endpoint}/v1/${encodeURIComponent(options.projectId)}${call.path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const description = `${call.method} ${url.pathname}`;
  const headers: Record<string, string> = {};
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.language) headers['X-Language'] = options.language;
  if (!('token' in options.auth)) headers['X-Project-Id'] = options.projectId;

  // One deadline for the whole call: credentials, request and answer body.
  const deadline = new AbortController();
  const onAbort = () => deadline.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort();
  }, timeoutMs);
  let secrets: string[] = [];
  try {
    const request = { method: call.method, url, headers, body: call.body };
    const auth = await authHeaders(options.auth, request, options.forceRefresh ?? false, deadline.signal);
    secrets = auth.secrets;
    deadline.signal.throwIfAborted();
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const response = await fetchImpl(url, {
      method: call.method,
      headers: { ...headers, ...auth.headers },
      body: call.body,
      signal: deadline.signal,
      // A redirect would carry X-Auth-Token to wherever it points: never follow one.
      redirect: 'manual',
      credentials: 'omit',
      // A list answer holds addresses: never in the HTTP cache. A send (POST) is not cached
      // anyway, and 'no-store' would make browsers skip their CORS preflight cache: one
      // preflight per request instead of one per max-age.
      ...(call.method === 'GET' ? { cache: 'no-store' as const } : {}),
    });
    // Server text: secrets the server echoed are redacted first, then the text is bounded.
    const redact = (value: string | null | undefined) => (value === null || value === undefined ? undefined : redactOrWithhold(value, secrets));
    const rawRequestId = redact(response.headers.get('x-request-id'));
    const requestId = rawRequestId === undefined ? undefined : boundServerText(rawRequestId, MAX_SERVER_ID);
    if (response.status >= 200 && response.status < 300 && response.type !== 'opaqueredirect') {
      if (call.ignoreAnswerBody) {
        // The send API answers 200 with no body; whatever comes is not read (a 2xx is success).
        await response.body?.cancel().catch(() => undefined);
        return { status: response.status, requestId, text: '', request: description };
      }
      const { text, truncated } = await readBodyText(response, MAX_SUCCESS_BODY_BYTES);
      if (truncated) throw new ProtocolError(description, `answer body larger than ${MAX_SUCCESS_BODY_BYTES} bytes`, requestId);
      return { status: response.status, requestId, text, request: description };
    }
    const { text } = await readBodyText(response, MAX_ERROR_BODY_BYTES);
    const facts = parseErrorBody(text);
    // Read as the answer ends; a date (rare) loads its reader first.
    const retryAfterMs = await retryAfterOfAnswer(response.headers.get('retry-after'));
    // ApiError bounds error_code and error_msg (MAX_SERVER_ID, MAX_SERVER_TEXT) and clamps the delay.
    throw new ApiError({
      status: response.status,
      errorCode: redact(facts.errorCode),
      errorMsg: facts.errorMsg === undefined ? redirectHint(response) : redact(facts.errorMsg),
      requestId,
      retryAfterMs,
      request: description,
    });
  } catch (error) {
    if (error instanceof ApiError || error instanceof ProtocolError || error instanceof AuthError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timedOut) throw new TimeoutError(description, timeoutMs);
    throw new NetworkError(description, { cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Server text with the secrets redacted; withheld (undefined) in the unexpected case that the
 * redaction itself fails, so that neither the text nor the failure (whose message or cause could
 * quote a secret) leaves this function.
 */
function redactOrWithhold(text: string, secrets: readonly string[]): string | undefined {
  try {
    return redactSecrets(text, secrets);
  } catch {
    return undefined;
  }
}

function redirectHint(response: Response): string | undefined {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    return 'the endpoint answered with a redirect, which is not followed (credentials would go with it): check the endpoint';
  }
  return undefined;
}
