/**
 * The `fields` of `value` that it has (own or inherited, as a schema reads them), each read once,
 * in a plain object: a check and whatever follows it then see the same values (a getter answering
 * differently on a second read cannot slip a value past the check that refused the first), and
 * keys the schema does not know are left behind. Anything that is not an object, or an array,
 * is given back as it is, for the checks to refuse. May throw what a getter or proxy throws.
 */
export function fieldsCopy(value: unknown, fields: Iterable<string>): unknown {
  if (!isCopied(value)) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of fields) if (key in source) copy[key] = source[key];
  return copy;
}

/** Objects other than arrays are copied; anything else is kept as it is. */
export const isCopied = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);
