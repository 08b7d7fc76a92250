import { createHash, createHmac } from 'node:crypto';

/**
 * An SDK-HMAC-SHA256 signer written from API-FACTS.md with node:crypto, independent of both the
 * library's signer and the mock's verifier, so that each can be checked against it.
 * Signs `host`, `x-sdk-date` and every given header except `content-type`.
 */
export interface SignInput {
  readonly method: string;
  /** The full URL the request goes to (its host, path and query are signed). */
  readonly url: string;
  /** Headers the request will carry (all but content-type are signed). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly ak: string;
  readonly sk: string;
  /** @default new Date() */
  readonly date?: Date | number;
}

/** The headers to add to the request: `X-Sdk-Date` and `Authorization`. */
export interface SignedHeaders {
  readonly 'X-Sdk-Date': string;
  readonly Authorization: string;
  [name: string]: string;
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function sdkDate(date: Date | number): string {
  return new Date(date).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function signWithNodeCrypto(input: SignInput): SignedHeaders {
  const url = new URL(input.url);
  const date = sdkDate(input.date ?? new Date());
  const headers = new Map<string, string>([
    ['host', url.host],
    ['x-sdk-date', date],
  ]);
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (name.toLowerCase() !== 'content-type') headers.set(name.toLowerCase(), value.trim());
  }
  const names = [...headers.keys()].sort();
  const segments = url.pathname.split('/').map((segment) => encode(decodeURIComponent(segment)));
  const path = segments.join('/');
  const query = [...url.searchParams]
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonical = [
    input.method.toUpperCase(),
    path.endsWith('/') ? path : `${path}/`,
    query,
    names.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join(''),
    names.join(';'),
    // The official signers let a declared X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) stand for the body.
    headers.get('x-sdk-content-sha256') ?? sha256Hex(input.body ?? ''),
  ].join('\n');
  const stringToSign = `SDK-HMAC-SHA256\n${date}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', input.sk).update(stringToSign).digest('hex');
  return {
    'X-Sdk-Date': date,
    Authorization: `SDK-HMAC-SHA256 Access=${input.ak}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
