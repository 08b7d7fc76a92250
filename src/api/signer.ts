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
 * @example
 * const extra = await signRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body }, { ak, sk });
 * await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...extra }, body });
 */
export async function signRequest(
  request: SignableRequest,
  credentials: AkSkCredentials,
  date: Date = new Date(),
): Promise<Record<string, string>> {
  const url = new URL(request.url);
  const added: Record<string, string> = { 'X-Sdk-Date': formatSdkDate(date) };
  if (credentials.securityToken) added['X-Security-Token'] = credentials.securityToken;

  const signed = new Map<string, string>([['host', url.host]]);
  for (const [name, value] of Object.entries({ ...request.headers, ...added })) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type') signed.set(lower, value.trim());
  }
  const names = [...signed.keys()].sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url),
    canonicalQuery(url),
    names.map((name) => `${name}:${signed.get(name)}\n`).join(''),
    names.join(';'),
    await sha256Hex(request.body ?? ''),
  ].join('\n');
  const stringToSign = `${SIGNING_ALGORITHM}\n${added['X-Sdk-Date']}\n${await sha256Hex(canonicalRequest)}`;
  const signature = await hmacSha256Hex(credentials.sk, stringToSign);
  added['Authorization'] = `${SIGNING_ALGORITHM} Access=${credentials.ak}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return added;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 3986 percent-encoding: only `A-Z a-z 0-9 - _ . ~` stay as they are. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalUri(url: URL): string {
  const path = url.pathname.split('/').map((segment) => rfc3986(decodeURIComponent(segment))).join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .map(([key, value]) => [rfc3986(key), rfc3986(value)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? compare(va, vb) : compare(ka, kb)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const encoder = new TextEncoder();

function toBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', toBytes(data)));
}

async function hmacSha256Hex(secret: string, data: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await globalThis.crypto.subtle.sign('HMAC', key, toBytes(data)));
}
