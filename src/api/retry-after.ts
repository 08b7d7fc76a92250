import { MAX_TIMEOUT_MS } from './timer-limit.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The three HTTP-date formats of RFC 9110 §5.6.7, all in GMT. */
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** Parses an HTTP-date as UTC; `undefined` for anything else (Date.parse would accept far too much). */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let parts: [day: string, month: string, year: number, hour: string, minute: string, second: string] | undefined;
  let match: RegExpMatchArray | null;
  if ((match = IMF_FIXDATE.exec(text))) {
    parts = [match[1]!, match[2]!, Number(match[3]), match[4]!, match[5]!, match[6]!];
  } else if ((match = RFC_850.exec(text))) {
    // Two-digit years: the one nearest to now that is not more than 50 years ahead (RFC 9110).
    const century = Math.floor(new Date(now).getUTCFullYear() / 100) * 100;
    let year = century + Number(match[3]);
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100;
    parts = [match[1]!, match[2]!, year, match[4]!, match[5]!, match[6]!];
  } else if ((match = ASCTIME.exec(text))) {
    parts = [match[2]!.trim(), match[1]!, Number(match[6]), match[3]!, match[4]!, match[5]!];
  }
  if (!parts) return undefined;
  const [day, monthName, year, hour, minute, second] = parts;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0) return undefined;
  const at = Date.UTC(year, month, Number(day), Number(hour), Number(minute), Number(second));
  const check = new Date(at);
  // Reject impossible dates (31 Feb) that Date.UTC would roll over.
  if (check.getUTCDate() !== Number(day) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return undefined;
  return at;
}

/**
 * The longest delay `parseRetryAfter` returns: the longest a timer can wait (about 24.8 days).
 * Anything longer (a 400-digit number, a date in 2100) is read as this; the outbox then caps it
 * further with `retry.maxRetryAfterMs`.
 */
export const MAX_RETRY_AFTER_MS = MAX_TIMEOUT_MS;

const DELTA_SECONDS = /^\d+(\.\d+)?$/;
/** A day name that an HTTP-date puts before its comma (`Wed, 21 Oct…`, `Wednesday, 21-Oct-15…`). */
const DAY_NAME = /^(?:mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;

/** One value: delta-seconds or an HTTP-date, in ms from `now` (not yet clamped); `undefined` if unreadable. */
function parseOneValue(text: string, now: number): number | undefined {
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000; // 306+ digits: Infinity, clamped below
  const at = parseHttpDate(text, now);
  return at === undefined ? undefined : at - now;
}

/**
 * The values of a header that may have been sent several times: fetch joins repeated headers
 * with ", ", and an HTTP-date holds a comma itself (after its day name), so a lone day name is
 * joined back to what follows it.
 */
function listValues(text: string): string[] {
  const parts = text.split(/[ \t]*,[ \t]*/);
  const values: string[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const next = parts[index + 1];
    if (DAY_NAME.test(part) && next !== undefined && next !== '') {
      values.push(`${part}, ${next}`);
      index++;
    } else if (part !== '') values.push(part);
  }
  return values;
}

/**
 * Parses a `Retry-After` header into milliseconds from `now`: delta-seconds (`"120"`, also
 * fractional) or an HTTP-date. A date in the past means 0. Anything unreadable is `undefined`,
 * so the caller falls back to its own backoff. The result is always a finite whole number from
 * 0 to `MAX_RETRY_AFTER_MS` (a huge value is clamped, never `Infinity`).
 *
 * When the header came several times (joined by ", "), the largest readable value wins: the
 * conservative reading of a server that asked for more than one delay. No jitter here; the
 * outbox caps the delay with `retry.maxRetryAfterMs`.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || !Number.isFinite(now)) return undefined;
  let largest: number | undefined;
  for (const text of listValues(value.trim())) {
    const ms = parseOneValue(text, now);
    if (ms !== undefined && !Number.isNaN(ms) && (largest === undefined || ms > largest)) largest = ms;
  }
  if (largest === undefined) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(largest)));
}
