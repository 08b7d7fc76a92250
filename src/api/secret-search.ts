/**
 * Finds secrets in server text in the forms a server may echo them in, in linear time whatever
 * the secret's length (an IAM token is several KiB): verbatim; any mix of URL-encoding (once or
 * twice) and JSON escapes (`\/`, `\"`, `\u0041`); a `+` read back as a space; upper or lower
 * case; base64 and base64url (also wrapped in lines, and inside a longer encoded text at any
 * byte offset); hex.
 *
 * How: the text is read through up to three "views" (as is, decoded once, decoded twice) in
 * which CR, LF and TAB are dropped, a space counts as `+` and ASCII letters are lower-cased;
 * each view character remembers the span of the original text it came from. Every form of every
 * secret, folded the same way, is looked up with `indexOf` in every view, and the original spans
 * of the hits are what gets redacted. No regular expression is built from a secret, so nothing
 * about a secret can end up in an exception's message.
 */

/** Secrets shorter than this are not searched for: they would match ordinary words. */
export const MIN_SECRET_LENGTH = 4;
/** Base64 fragments of a secret inside a longer text shorter than this are not searched for. */
const MIN_FRAGMENT_LENGTH = 8;

const encoder = /* @__PURE__ */ new TextEncoder();

/** A folded reading of a text; character `i` came from `text.slice(from[i], to[i])` of the original. */
interface View {
  text: string;
  from: number[];
  to: number[];
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;

function isHex(text: string, start: number, count: number): boolean {
  if (start + count > text.length) return false;
  for (let index = start; index < start + count; index++) if (!HEX_DIGIT.test(text[index]!)) return false;
  return true;
}

/** Lower-cases ASCII letters only, so that lengths never change; a space reads as `+`. */
function foldChar(char: string): string {
  if (char === ' ') return '+';
  const code = char.charCodeAt(0);
  return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
}

function fold(text: string): string {
  let folded = '';
  for (const char of text) folded += char.length === 1 ? foldChar(char) : char;
  return folded;
}

/** The original text as a view (line breaks and tabs dropped, folded). */
function rawView(text: string): View {
  const view: View = { text: '', from: [], to: [] };
  const chars: string[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\r' || char === '\n' || char === '\t') continue;
    chars.push(foldChar(char));
    view.from.push(index);
    view.to.push(index + 1);
  }
  view.text = chars.join('');
  return view;
}

/** One decoding pass over a view: `%XX`, `\uXXXX`, `\/`, `\"`, `\\` become the character they stand for. */
function decodeView(source: View): View {
  const { text } = source;
  const view: View = { text: '', from: [], to: [] };
  const chars: string[] = [];
  for (let index = 0; index < text.length; ) {
    let char = text[index]!;
    let width = 1;
    if (char === '%' && isHex(text, index + 1, 2)) {
      char = String.fromCharCode(parseInt(text.slice(index + 1, index + 3), 16));
      width = 3;
    } else if (char === '\\' && text[index + 1] === 'u' && isHex(text, index + 2, 4)) {
      char = String.fromCharCode(parseInt(text.slice(index + 2, index + 6), 16));
      width = 6;
    } else if (char === '\\' && (text[index + 1] === '/' || text[index + 1] === '"' || text[index + 1] === '\\')) {
      char = text[index + 1]!;
      width = 2;
    }
    chars.push(foldChar(char));
    view.from.push(source.from[index]!);
    view.to.push(source.to[index + width - 1]!);
    index += width;
  }
  view.text = chars.join('');
  return view;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The secret's base64 as a whole (padded and not) and, for each of the three byte offsets it may
 * sit at inside a longer text, the characters that encode its bytes alone. Both alphabets.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const whole = base64(bytes);
  const forms = [whole, whole.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = base64(shifted).replace(/=+$/, '');
    // Drop the characters holding bits of the unknown bytes before and after.
    const skip = [0, 2, 3][offset]!;
    const tail = (offset + bytes.length) % 3;
    const core = encoded.slice(skip, tail === 0 ? encoded.length : encoded.length - 1);
    if (core.length >= MIN_FRAGMENT_LENGTH) forms.push(core);
  }
  const both = new Set<string>();
  for (const form of forms) {
    both.add(form);
    both.add(form.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...both];
}

/** Every form of `secret` to look for, folded like the views. */
function secretForms(secret: string): string[] {
  const bytes = encoder.encode(secret);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return [...new Set([secret, hex, ...base64Forms(bytes)].map(fold))];
}

/** The forms of the last secrets asked for (the same credentials come with every request). */
let cached: { key: string; forms: string[] } | undefined;

function formsOf(secrets: readonly string[]): string[] {
  const wanted = secrets.filter((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH);
  const key = wanted.join('\u0000');
  if (cached?.key !== key) cached = { key, forms: [...new Set(wanted.flatMap(secretForms))] };
  return cached.forms;
}

/** Original `[start, end)` spans of `text` that hold one of `secrets` in any of the forms above. */
export function findSecrets(text: string, secrets: readonly string[]): Array<[number, number]> {
  const forms = formsOf(secrets);
  if (forms.length === 0 || text === '') return [];
  const spans: Array<[number, number]> = [];
  let view = rawView(text);
  for (let pass = 0; pass < 3; pass++) {
    for (const form of forms) {
      if (form.length > view.text.length) continue;
      for (let at = view.text.indexOf(form); at >= 0; at = view.text.indexOf(form, at + 1)) {
        spans.push([view.from[at]!, view.to[at + form.length - 1]!]);
      }
    }
    const next = decodeView(view);
    if (next.text.length === view.text.length) break; // nothing left to decode
    view = next;
  }
  return spans;
}

/** `text` with every span that holds a secret replaced by `replacement` (overlapping spans merged). */
export function redactSpans(text: string, spans: Array<[number, number]>, replacement: string): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let result = '';
  let cursor = 0;
  let open: [number, number] | undefined;
  for (const span of spans) {
    if (open && span[0] < open[1]) {
      open[1] = Math.max(open[1], span[1]);
      continue;
    }
    if (open) {
      result += text.slice(cursor, open[0]) + replacement;
      cursor = open[1];
    }
    open = [span[0], span[1]];
  }
  if (open) result += text.slice(cursor, open[0]) + replacement + text.slice(open[1]);
  else result += text.slice(cursor);
  return result;
}
