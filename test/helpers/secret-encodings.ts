// The forms in which a hostile or careless server may echo a secret back, and a check that none
// of them (nor the stable middle of a base64 text that embeds the secret) is in a text.
import { expect } from 'vitest';

/** A secret that every encoding changes: "/", "+", "=", quotes, a backslash, both cases. */
export const TOKEN = 'Tok/en+SECRET="q"\\z-0123456789abcdefXYZ';
export const AK = 'AKSECRETACCESSKEY0001';
export const SK = 'sk-SECRET-signing-key-0001';
export const SECURITY_TOKEN = 'sts/SECRET+security=token-0003';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** `[name, encode]`: each way of echoing a secret that the redaction must catch. */
export const ENCODINGS: ReadonlyArray<readonly [string, (secret: string) => string]> = [
  ['verbatim', (s) => s],
  ['URL-encoded (encodeURIComponent)', (s) => encodeURIComponent(s)],
  ['URL-encoded with lower-case hex', (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())],
  ['URL-encoded twice', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['every byte percent-encoded', (s) => [...Buffer.from(s)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')],
  ['base64', b64],
  ['base64 without padding', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', b64url],
  ['base64 of a longer text (offset 1)', (s) => b64(`tok:${s};`)],
  ['base64url of a longer text (offset 2)', (s) => b64url(`token=${s}&x=1`)],
  ['upper-cased', (s) => s.toUpperCase()],
  ['lower-cased', (s) => s.toLowerCase()],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
  ['JSON-escaped with \\/', (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/')],
  ['JSON \\u-escaped', (s) => [...s].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
  ['hex', (s) => Buffer.from(s).toString('hex')],
];

/** Every text (lower-cased) that shows a secret: each encoding, and the secret-only middle of the embedded ones. */
function tellTales(secret: string): string[] {
  const tales = ENCODINGS.map(([, encode]) => encode(secret));
  // In an embedded base64 text, the characters that encode the secret alone.
  tales.push(b64(`tok:${secret};`).slice(8, -8), b64url(`token=${secret}&x=1`).slice(12, -8));
  return tales.map((tale) => tale.toLowerCase());
}

/** Fails naming `where` and the encoding when `text` holds any form of any of `secrets`. */
export function expectNoSecretIn(text: string, secrets: readonly string[], where: string): void {
  const lower = text.toLowerCase();
  for (const secret of secrets) {
    for (const tale of tellTales(secret)) {
      expect(lower.includes(tale), `${where} holds ${JSON.stringify(tale)} (a form of a secret)`).toBe(false);
    }
  }
}

/** What a server could read of each secret: the token header, the AK in the signature, the security token. */
export function secretsReceived(headers: Record<string, string | string[] | undefined>): string[] {
  const found: string[] = [];
  const token = headers['x-auth-token'];
  if (typeof token === 'string') found.push(token);
  const access = /Access=([^,\s]+)/.exec(String(headers['authorization'] ?? ''))?.[1];
  if (access) found.push(access);
  const securityToken = headers['x-security-token'];
  if (typeof securityToken === 'string') found.push(securityToken);
  return found;
}

/** Every string held by `value` (keys too), one per line: JSON-escaping would hide an escaped echo. */
export function stringsOf(value: unknown): string {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') found.push(item);
    else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        found.push(key);
        stack.push(child);
      }
    }
  }
  return found.join('\n');
}

/** `expectNoSecretIn` on `text` as it is, and on the strings of each of its lines that is JSON. */
export function expectNoSecretInLines(text: string, secrets: readonly string[], where: string): void {
  expectNoSecretIn(text, secrets, where);
  for (const line of text.split('\n')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    expectNoSecretIn(stringsOf(parsed), secrets, `${where} (a JSON line's strings)`);
  }
}
