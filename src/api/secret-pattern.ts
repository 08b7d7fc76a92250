/**
 * Patterns that find a secret in the forms a server may echo it in, not only verbatim: any mix
 * of URL-encoding (once or twice, `+` for a space), JSON escapes (`\/`, `\"`, `\u0041`),
 * upper or lower case, base64, base64url and hex (also when the secret sat inside a longer
 * encoded text, at any byte offset). Matching is case-insensitive.
 */

/** Secrets shorter than this are not searched for: they would match ordinary words. */
export const MIN_SECRET_LENGTH = 4;
/** Encoded fragments shorter than this are not searched for (too likely to occur by chance). */
const MIN_FRAGMENT_LENGTH = 8;

const encoder = /* @__PURE__ */ new TextEncoder();

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** The alternatives that stand for one character of a secret (a code point). */
function characterForms(char: string): string {
  const bytes = encoder.encode(char);
  let percent = '';
  let twice = '';
  for (const byte of bytes) {
    percent += `%${hex(byte, 2)}`;
    twice += `%25${hex(byte, 2)}`;
  }
  let unicode = '';
  for (let index = 0; index < char.length; index++) unicode += `\\u${hex(char.charCodeAt(index), 4)}`;
  const forms = new Set([char, percent, twice, unicode, JSON.stringify(char).slice(1, -1)]);
  if (char === '/') forms.add('\\/');
  if (char === ' ') forms.add('+');
  if (char === '+') forms.add(' ');
  const alternatives = [...forms].map(escapeRegExp);
  return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 characters that encode `bytes` whatever came before and after them: for each of the
 * three byte offsets, the encoding without the characters shared with neighbouring bytes.
 */
function base64Fragments(bytes: Uint8Array): string[] {
  const padded = base64(bytes);
  const fragments = [padded, padded.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = base64(shifted).replace(/=+$/, '');
    // Characters holding bits of the padding bytes before, or of the unknown bytes after.
    const skip = [0, 2, 3][offset]!;
    const tail = (offset + bytes.length) % 3;
    const core = encoded.slice(skip, tail === 0 ? encoded.length : encoded.length - 1);
    fragments.push(core);
  }
  const forms = new Set<string>();
  for (const fragment of fragments) {
    if (fragment.length < MIN_FRAGMENT_LENGTH) continue;
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/** A regular-expression source matching `secret` in any of its common encodings. */
export function secretPatternSource(secret: string): string {
  let escaped = '';
  for (const char of secret) escaped += characterForms(char);
  const bytes = encoder.encode(secret);
  let hexForm = '';
  for (const byte of bytes) hexForm += hex(byte, 2);
  const whole = [...base64Fragments(bytes), hexForm].filter((form) => form.length >= MIN_FRAGMENT_LENGTH).map(escapeRegExp);
  return [escaped, ...whole].join('|');
}

/**
 * A lower bound of the length of any text `secretPatternSource(secret)` matches: each character
 * stands for at least one, and an encoded form is at least about 4/3 of the bytes long.
 */
function shortestMatch(secret: string): number {
  let characters = 0;
  for (const _ of secret) characters++;
  const bytes = encoder.encode(secret).length;
  return Math.min(characters, Math.max(MIN_FRAGMENT_LENGTH, Math.floor((bytes * 4) / 3) - 4));
}

/**
 * One case-insensitive, global pattern for the `secrets` (those of at least `MIN_SECRET_LENGTH`
 * characters) that a text of `textLength` characters could hold; `undefined` when there is none
 * to look for. A short text (a request id) thus costs no pattern for a long token.
 */
export function secretsPattern(secrets: readonly string[], textLength = Number.POSITIVE_INFINITY): RegExp | undefined {
  const wanted = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH && shortestMatch(secret) <= textLength);
  if (wanted.length === 0) return undefined;
  // The same credentials come with every request: the last pattern is reused (only that one is kept).
  const key = wanted.join('\u0000');
  if (last?.key !== key) last = { key, pattern: new RegExp(wanted.map(secretPatternSource).join('|'), 'gi') };
  last.pattern.lastIndex = 0;
  return last.pattern;
}

let last: { key: string; pattern: RegExp } | undefined;
