// The building blocks of the options schemas. Each says what a good value is in the words the
// library's messages use ("must be an integer ≥ 1 and ≤ 10000, got 0"); `parseOptions` puts the
// option's name in front.
import * as z from 'zod/mini';

/**
 * `build()`'s result, built on first use and kept. Schemas only some entries need are built so:
 * a bundle that never asks for one (the client alone) leaves it out, which it cannot do with a
 * schema built when the module loads.
 */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** A bad value as a message shows it: numbers as they are, anything else by its type only (a string could be a secret). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}

/** The range a numeric option must lie in. */
export interface NumberRange {
  readonly min: number;
  /** `min` itself is not allowed. @default false */
  readonly minExclusive?: boolean;
  readonly max?: number;
  /** Whole numbers only. @default false */
  readonly integer?: boolean;
  /** `Infinity` is allowed too, as "no limit". @default false */
  readonly orInfinity?: boolean;
}

/**
 * A number in `range`. The base is not `z.number()`, which refuses `Infinity` even where it means
 * "no limit": a JS number other than `NaN` (finite unless `orInfinity`), then zod's range checks.
 */
export function numberIn(range: NumberRange) {
  const rule = `must be ${range.integer ? 'an integer' : 'a number'} ${range.minExclusive ? '>' : '≥'} ${range.min}${
    range.max === undefined ? '' : ` and ≤ ${range.max}`
  }`;
  const params = { error: (issue: { readonly input?: unknown }) => `${rule}, got ${shown(issue.input)}` };
  const isNumber = (value: unknown) => typeof value === 'number' && (Number.isFinite(value) || (range.orInfinity === true && value === Infinity));
  return z.custom<number>(isNumber, { ...params, abort: true }).check(
    range.minExclusive ? z.gt(range.min, params) : z.gte(range.min, params),
    ...(range.max === undefined ? [] : [z.lte(range.max, params)]),
    ...(range.integer ? [z.refine<number>((value) => value === Infinity || Number.isInteger(value), params)] : []),
  );
}

/**
 * A value checked (and perhaps normalised) by one of the api's assertion functions, such as
 * `normalizeEndpoint`: one rule, one wording, whether the client or the outbox is called. Its
 * `TypeError` becomes this field's issue; the message, which names the option, is kept whole.
 */
export function checkedBy<T>(assert: (value: unknown) => T) {
  return z.transform<unknown, T>((value, payload) => {
    try {
      return assert(value);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      payload.issues.push({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  });
}

/** A function (kept as it is: zod's own function schema would wrap it). */
export function aFunction<F>(error = 'must be a function') {
  return z.custom<F>((value) => typeof value === 'function', { error });
}

/** A string with at least one character. */
export function nonEmptyString(error: string) {
  return z.string({ error }).check(z.minLength(1, { error }));
}

/** `true` or `false`. */
export const aBoolean = /* @__PURE__ */ z.boolean({ error: 'must be true or false' });

/**
 * An object with these members (own or inherited), passed on as it is: a store or a signal is a
 * live object (class instance, private fields), which `z.object` would copy.
 */
export function withMembers<T>(members: z.core.$ZodLooseShape, error: string) {
  const shape = z.object(members);
  return z.custom<T>((value) => shape.safeParse(value).success, { error });
}

/** Duck-typed, so a signal from another realm or a polyfill is accepted. */
export const anAbortSignal = /* @__PURE__ */ withMembers<AbortSignal>(
  { aborted: z.boolean(), addEventListener: aFunction(), removeEventListener: aFunction() },
  'must be an AbortSignal',
);
