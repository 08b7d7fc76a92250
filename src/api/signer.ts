/** AK/SK credentials for `SDK-HMAC-SHA256` signing. Never persisted, logged or put in an error. */
export interface AkSkCredentials {
  /** Access key ID. */
  readonly ak: string;
  /** Secret access key. Keep it off browser pages: anyone who can read the page can use it. */
  readonly sk: string;
  /** Security token of temporary credentials; sent as `X-Security-Token` and signed. */
  readonly securityToken?: string;
}

/** What the signer needs of a request. `headers` are those that will be sent (any case). */
export interface SignableRequest {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/**
 * Signs a request the way Huawei Cloud's SDKs do (`SDK-HMAC-SHA256`) with Web Crypto, so it runs
 * in Node, browsers, Deno and edge workers alike. Returns the headers to add to the request:
 * `X-Sdk-Date`, `Authorization` and, for temporary credentials, `X-Security-Token`.
 * Every given header is signed except `content-type` (as the SDKs do), plus `host`.
 *
 * The signing code is a chunk of its own (`sign-request.ts`), loaded by the first call: token
 * auth never downloads it. `date` is taken when this is called, not when the chunk has loaded.
 *
 * @example
 * const extra = await signRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body }, { ak, sk });
 * await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...extra }, body });
 */
export async function signRequest(
  request: SignableRequest,
  credentials: AkSkCredentials,
  date: Date = new Date(),
): Promise<Record<string, string>> {
  const { signRequestNow } = await loadSigner();
  return signRequestNow(request, credentials, date);
}

/** The signing chunk, loading or loaded; `undefined` again after a failed load, so the next call tries again. */
let signer: Promise<typeof import('./sign-request.js')> | undefined;

/**
 * Hands the signing module over at start, for a script where `import()` is refused (a service
 * worker: browsers disallow it there, so a worker bundled with code splitting could not sign).
 */
export function provideSigner(module: typeof import('./sign-request.js')): void {
  signer = Promise.resolve(module);
}

function loadSigner(): Promise<typeof import('./sign-request.js')> {
  signer ??= import('./sign-request.js').catch((error: unknown) => {
    signer = undefined;
    throw error;
  });
  return signer;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
