import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { MockCredential } from './types.js';

/**
 * Server-side check of Huawei Cloud's `SDK-HMAC-SHA256` request signatures (API-FACTS.md),
 * written against node:crypto on purpose: it must not share code with the client's signer,
 * so that it catches the signer's bugs instead of repeating them.
 */

const algorithm = 'SDK-HMAC-SHA256';
/** `X-Sdk-Content-Sha256` value by which a client leaves the body out of the signature. */
const unsignedPayload = 'UNSIGNED-PAYLOAD';
/** How far `X-Sdk-Date` may be from the server's clock. */
const maxSkewMs = 15 * 60 * 1000;

/** The request as received: the raw target (path + query), lowercased headers, body digest. */
export interface SignedRequest {
  readonly method: string;
  /** `req.url` as received, e.g. '/v1/abc/mails?limit=10'. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  /** hex SHA-256 of the raw body bytes. */
  readonly bodySha256: string;
}

/** Why a signed request is refused (`undefined` from `verifySignature` means it is accepted). */
export type SignatureProblem = string;

/** RFC 3986 percent-encoding: unreserved characters kept, everything else as UTF-8 %XX. */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, '%20'));
}

/** Each path segment decoded, re-encoded, and always a trailing '/'. */
export function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => rfc3986(decodeURIComponent(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** `k=v` pairs, keys and values RFC 3986-encoded, sorted by key then value, joined by '&'. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      const value = equals === -1 ? '' : pair.slice(equals + 1);
      return [rfc3986(decode(key)), rfc3986(decode(value))] as const;
    })
    .sort(([keyA, valueA], [keyB, valueB]) => (keyA === keyB ? compare(valueA, valueB) : compare(keyA, keyB)))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`, UTC) in ms since the epoch, or `undefined` if malformed. */
export function parseSdkDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March: a rolled-over date was not a real date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour) return undefined;
  if (date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) return undefined;
  return ms;
}

interface ParsedAuthorization {
  readonly access: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=hex`. */
function parseAuthorization(value: string): ParsedAuthorization | SignatureProblem {
  if (!value.startsWith(`${algorithm} `)) return `the Authorization scheme is not ${algorithm}`;
  const fields = new Map<string, string>();
  for (const part of value.slice(algorithm.length + 1).split(',')) {
    const equals = part.indexOf('=');
    if (equals !== -1) fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  const access = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (access === undefined || access === '') return 'the Authorization header has no Access';
  if (signedHeaders === undefined || signedHeaders === '') return 'the Authorization header has no SignedHeaders';
  if (signature === undefined || !/^[0-9a-f]{64}$/i.test(signature)) {
    return 'the Authorization header has no Signature of 64 hex digits';
  }
  return { access, signedHeaders: signedHeaders.split(';').map((name) => name.trim().toLowerCase()), signature };
}

/** The canonical request the signature covers, rebuilt from the request as received. */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[]): string {
  const questionMark = request.target.indexOf('?');
  const path = questionMark === -1 ? request.target : request.target.slice(0, questionMark);
  const query = questionMark === -1 ? '' : request.target.slice(questionMark + 1);
  const names = [...signedHeaders].sort();
  const headerLines = names.map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`).join('');
  return [request.method, canonicalUri(path), canonicalQuery(query), headerLines, names.join(';'), request.bodySha256].join('\n');
}

/** hex(HMAC-SHA256(sk, string to sign)) for a canonical request and its `X-Sdk-Date`. */
export function expectedSignature(sk: string, sdkDate: string, canonical: string): string {
  const stringToSign = `${algorithm}\n${sdkDate}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  return createHmac('sha256', sk).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Verifies an AK/SK signed request. Returns `undefined` when it is accepted, else which check
 * failed (worded for an `error_msg`: it never contains a key, token or signature).
 */
export function verifySignature(
  request: SignedRequest,
  credentials: ReadonlyMap<string, MockCredential>,
  now: number,
): SignatureProblem | undefined {
  const parsed = parseAuthorization(request.headers['authorization'] ?? '');
  if (typeof parsed === 'string') return parsed;
  const credential = credentials.get(parsed.access);
  if (credential === undefined) return 'the access key (AK) is unknown';
  const sdkDate = request.headers['x-sdk-date'];
  if (sdkDate === undefined) return 'the X-Sdk-Date header is missing';
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return 'the X-Sdk-Date header is not YYYYMMDDTHHMMSSZ';
  if (Math.abs(now - signedAt) > maxSkewMs) return 'the X-Sdk-Date is more than 15 minutes from the server time';
  for (const required of ['host', 'x-sdk-date']) {
    if (!parsed.signedHeaders.includes(required)) return `SignedHeaders does not include ${required}`;
  }
  for (const name of parsed.signedHeaders) {
    if (request.headers[name] === undefined) return `the signed header ${name} is missing from the request`;
  }
  if (credential.securityToken !== undefined) {
    const presented = request.headers['x-security-token'];
    if (presented === undefined) return 'the X-Security-Token header is missing (temporary credentials)';
    if (!sameText(presented, credential.securityToken)) return 'the X-Security-Token does not match the access key';
  }
  const declaredDigest = request.headers['x-sdk-content-sha256'];
  if (declaredDigest !== undefined && declaredDigest !== unsignedPayload && declaredDigest.toLowerCase() !== request.bodySha256) {
    return 'the X-Sdk-Content-Sha256 header does not match the body';
  }
  let canonical: string;
  try {
    // The official signers put a declared X-Sdk-Content-Sha256 in place of the body digest.
    canonical = canonicalRequest({ ...request, bodySha256: declaredDigest ?? request.bodySha256 }, parsed.signedHeaders);
  } catch {
    return 'the request path or query is not validly percent-encoded';
  }
  const expected = expectedSignature(credential.sk, sdkDate, canonical);
  if (!sameText(parsed.signature.toLowerCase(), expected)) {
    return 'the signature does not match the request (check the SK, the canonical request and the body digest)';
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
