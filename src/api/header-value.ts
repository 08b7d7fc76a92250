import { AuthError } from '../errors/AuthError.js';

/** Visible ASCII only: anything else would make `fetch` throw a message quoting the value. */
const HEADER_VALUE = /^[\x21-\x7e]+$/;

/**
 * `value` when it can go into a header as it is. @throws AuthError naming `what`, never
 * quoting the value (it is a credential).
 */
export function assertHeaderValue(value: unknown, what: string): string {
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw new AuthError(`${what} is not usable as a header value (it must be a non-empty string of visible ASCII characters)`);
  }
  return value;
}
