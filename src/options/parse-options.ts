import type * as z from 'zod/mini';

/**
 * Parses options with `schema`; a bad value throws the library's `TypeError`, whose message
 * starts with the first bad option's name ("batchSize must be …") or says "unknown option …".
 * The error carries no `cause`: zod's issues hold the input, which may hold secrets.
 * @throws TypeError naming the first bad option.
 */
export function parseOptions<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
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
