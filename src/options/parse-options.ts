import type * as z from 'zod/mini';

/**
 * Parses options with `schema`; a bad value throws the library's `TypeError`, whose message
 * starts with the first bad option's name ("batchSize must be …") or says "unknown option …".
 * The error carries no `cause`: zod's issues hold the input, which may hold secrets.
 * @throws TypeError naming the first bad option.
 */
export function parseOptions<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  return parseOwnOptions(schema, ownOptions(input));
}

/** `parseOptions` for what `ownOptions` already copied (each value is read once, not twice). */
export function parseOwnOptions<S extends z.ZodMiniType>(schema: S, own: unknown): z.output<S> {
  const result = schema.safeParse(own);
  if (result.success) return result.data;
  // A failed parse has at least one issue.
  throw new TypeError(messageOf(result.error.issues[0]!));
}

/**
 * The library's wording of one zod issue. The schemas say what a good value is ("must be …"),
 * and the option's path goes in front; a message that already starts with it (the api's own
 * checks word theirs whole, e.g. "auth.sk must be a non-empty string") is kept as it is.
 */
function messageOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return `unknown option ${[...path, String(issue.keys[0])].join('.')}`;
  const option = path.join('.') || 'options';
  return issue.message.startsWith(option) ? issue.message : `${option} ${issue.message}`;
}

/** Plain objects (not class instances, arrays or functions) are copied; others are values. */
const isPlain = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/**
 * A copy of `input`'s own enumerable properties (and of plain objects in it, one level down, e.g.
 * `retry` and `auth`), on a null prototype: what is inherited (a polluted `Object.prototype`, an
 * inherited `fetch`) is never taken for an option, and every value is read once, here. A getter
 * or proxy trap that throws becomes a TypeError naming the option, never the thrown message
 * (which could quote a secret). Anything else is returned as it is, for the schema to refuse.
 * @throws TypeError "<option> could not be read".
 */
export function ownOptions<T>(input: T, path = '', depth = 2): T {
  if (depth === 0 || !isPlainOrProxy(input, path)) return input;
  const copy = Object.create(null) as Record<string, unknown>;
  let keys: string[];
  try {
    keys = Object.keys(input as object);
  } catch {
    throw new TypeError(`${path || 'options'} could not be read (its keys threw)`);
  }
  for (const key of keys) {
    const name = path ? `${path}.${key}` : key;
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[key];
    } catch {
      throw new TypeError(`${name} could not be read (its getter threw)`);
    }
    copy[key] = ownOptions(value, name, depth - 1);
  }
  return copy as T;
}

function isPlainOrProxy(value: unknown, path: string): boolean {
  try {
    return isPlain(value);
  } catch {
    throw new TypeError(`${path || 'options'} could not be read (its prototype threw)`);
  }
}
