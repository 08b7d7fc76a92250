// PostgreSQL failures as StoreErrors that say what happened, never with a password or a
// connection string in them (pg's own messages carry neither, but a URL can reach a message
// through a caller's pool configuration, so anything shaped like one is cut out).
import { StoreError } from '../../errors/StoreError.js';

/** SQLSTATE classes and codes worth a plain word. */
const CODES: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the role may not connect',
  '3D000': 'the database does not exist',
  '3F000': 'the schema does not exist (run migrate(), or let the outbox run it)',
  '42P01': 'a table of the outbox is missing (run migrate(), or let the outbox run it)',
  '57014': 'a statement timed out (statement_timeout)',
  '57P01': 'the server was shut down by an administrator',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'too many connections',
  '40001': 'a serialization failure',
  '40P01': 'a deadlock',
};

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]*/gi;
const PASSWORD_LIKE = /(password\s*=\s*)[^\s'"]+/gi;

/** `error` from pg (or a network error on its way) as a StoreError of `operation`; a StoreError is kept. */
export function toPgStoreError(operation: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const said = typeof message === 'string' ? message.replace(URL_LIKE, '[connection string]').replace(PASSWORD_LIKE, '$1[redacted]') : String(error);
  const word = typeof code === 'string' ? CODES[code] : undefined;
  const network = typeof code === 'string' && /^E[A-Z]+$/.test(code) ? `cannot reach PostgreSQL (${code})` : undefined;
  const head = word ?? network;
  return new StoreError(operation, `PostgreSQL: ${head ? `${head}: ` : ''}${said}`.slice(0, 1000), { cause: error });
}

/**
 * For trouble no caller waits for (lease renewal, LISTEN, the check before a request), reported
 * through the store's `onProblem`, which the outbox turns into a StoreError of its own:
 * `<what>: PostgreSQL: …`, without the `store … failed:` of the error it came from.
 */
export function pgProblem(what: string, error: unknown): string {
  const { message } = toPgStoreError(what, error);
  return `${what}: ${message.slice(message.indexOf(': ') + 2)}`;
}
