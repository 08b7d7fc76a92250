// The schema the outbox's tables live in: a plain identifier, quoted wherever it goes into SQL.

/** The schema unless `schema` says otherwise. */
export const DEFAULT_SCHEMA = 'wks_mail_outbox';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * `name`, checked: letters, digits and `_`, not starting with a digit, at most 63 characters.
 * @throws TypeError naming what is wrong.
 */
export function checkSchemaName(name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new TypeError(`options.schema must be a PostgreSQL identifier (letters, digits and _, not starting with a digit, at most 63 characters); got ${JSON.stringify(String(name)).slice(0, 80)}`);
  }
  return name;
}

/** `"schema"."table"`. */
export function qualified(schema: string, table: string): string {
  return `"${schema}"."${table}"`;
}

/** The LISTEN/NOTIFY channel that wakes the workers of one schema. */
export function channelOf(schema: string): string {
  return `${schema}_changed`.slice(0, 63);
}
