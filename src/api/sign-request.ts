// The SDK-HMAC-SHA256 signing itself, loaded on demand by `signer.ts` (`signRequest`): only a
// caller with AK/SK credentials downloads it; token auth never does. Import it only dynamically.
import { SIGNING_ALGORITHM, formatSdkDate, type AkSkCredentials, type SignableRequest } from './signer.js';

/** `signRequest` of `signer.ts`, done here. */
export async function signRequestNow(request: SignableRequest, credentials: AkSkCredentials, date: Date): Promise<Record<string, string>> {
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

const encoder = /* @__PURE__ */ new TextEncoder();

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
