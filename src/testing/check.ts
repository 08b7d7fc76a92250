// The suite's assertions. No test framework and no `node:assert`: the suite runs under any runner
// with `describe`/`it`, in Node and in browsers, and a failure must name the broken promise.

/** Throws an `Error` with `message` when `condition` is false. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * Throws an `Error` naming `promise` and the first difference when `actual` and `expected` are
 * not deeply equal. Strict, like vitest's `toStrictEqual`: `Object.is` for primitives, the same
 * own keys (a key holding `undefined` counts), arrays and plain objects not interchangeable.
 */
export function checkEqual(actual: unknown, expected: unknown, promise: string): void {
  const difference = firstDifference(actual, expected, '');
  if (difference !== undefined) throw new Error(`${promise}\n  ${difference}`);
}

/** Awaits `promise` and returns what it rejected with; throws naming `what` when it resolves. */
export async function rejectionOf(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`${what}, but it resolved`);
}

function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (Object.is(actual, expected)) return undefined;
  const at = path === '' ? 'the value' : path;
  if (!isObject(actual) || !isObject(expected) || Array.isArray(actual) !== Array.isArray(expected)) {
    return `at ${at}: expected ${render(expected)}, got ${render(actual)}`;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `at ${at}: expected ${items(expected.length)}, got ${actual.length}${missingKeys(actual, expected)}`;
    for (let index = 0; index < expected.length; index++) {
      const difference = firstDifference(actual[index], expected[index], `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  const actualKeys = Object.keys(actual);
  const expectedKeys = Object.keys(expected);
  const missing = expectedKeys.filter((key) => !Object.hasOwn(actual, key));
  if (missing.length > 0) return `at ${at}: missing ${listed(missing)}`;
  const extra = actualKeys.filter((key) => !Object.hasOwn(expected, key));
  if (extra.length > 0) return `at ${at}: unexpected ${listed(extra)}`;
  for (const key of expectedKeys) {
    const difference = firstDifference(actual[key], expected[key], path === '' ? key : `${path}.${key}`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}

/** For lists of entries: which `key`s are missing or extra, so "expected 3 items, got 2" says which. */
function missingKeys(actual: readonly unknown[], expected: readonly unknown[]): string {
  const keysOf = (list: readonly unknown[]) => new Set(list.flatMap((item) => (isObject(item) && typeof item.key === 'string' ? [item.key] : [])));
  const actualKeys = keysOf(actual);
  const expectedKeys = keysOf(expected);
  const missing = [...expectedKeys].filter((key) => !actualKeys.has(key));
  const extra = [...actualKeys].filter((key) => !expectedKeys.has(key));
  const parts = [missing.length > 0 ? `missing key ${listed(missing)}` : '', extra.length > 0 ? `unexpected key ${listed(extra)}` : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function listed(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((key) => render(key));
  return keys.length > 5 ? `${shown.join(', ')} and ${keys.length - 5} more` : shown.join(', ');
}

const items = (count: number): string => `${count} ${count === 1 ? 'item' : 'items'}`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A short, readable rendering of a value for a failure message. */
function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) + (value.length > 60 ? ` (${value.length} characters)` : '');
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) return `an object with ${Object.keys(value).length === 0 ? 'no keys' : `keys ${Object.keys(value).slice(0, 5).join(', ')}`}`;
  return typeof value;
}
