import { MAX_TIMEOUT_MS } from './timer-limit.js';

// `Retry-After` without the HTTP-date reader (`http-date.ts`), which is passed in: the request
// path loads it only when a server sends a date. The public `parseRetryAfter` is in `retry-after.ts`.

/**
 * The longest delay `parseRetryAfter` returns: the longest a timer can wait (about 24.8 days).
 * Anything longer (a 400-digit number, a date in 2100) is read as this; the outbox then caps it
 * further with `retry.maxRetryAfterMs`.
 */
export const MAX_RETRY_AFTER_MS = MAX_TIMEOUT_MS;

const DELTA_SECONDS = /^\d+(\.\d+)?$/;
/** A day name that an HTTP-date puts before its comma (`Wed, 21 Oct…`, `Wednesday, 21-Oct-15…`). */
const DAY_NAME = /^(?:mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;

/** Reads an HTTP-date as ms since the epoch (`parseHttpDate`), `undefined` when it is not one. */
export type HttpDateReader = (text: string, now: number) => number | undefined;

/** One value: delta-seconds or an HTTP-date, in ms from `now` (not yet clamped); `undefined` if unreadable. */
function parseOneValue(text: string, now: number, parseDate: HttpDateReader): number | undefined {
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000; // 306+ digits: Infinity, clamped below
  const at = parseDate(text, now);
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

/** `parseRetryAfter` (see `retry-after.ts`) with the HTTP-date reader given. */
export function readRetryAfter(value: string | null | undefined, now: number, parseDate: HttpDateReader): number | undefined {
  if (typeof value !== 'string' || !Number.isFinite(now)) return undefined;
  let largest: number | undefined;
  for (const text of listValues(value.trim())) {
    const ms = parseOneValue(text, now, parseDate);
    if (ms !== undefined && !Number.isNaN(ms) && (largest === undefined || ms > largest)) largest = ms;
  }
  if (largest === undefined) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(largest)));
}

const noDate: HttpDateReader = () => undefined;

/** The HTTP-date reader when handed over at start (`provideDateReader`), else loaded on demand. */
let dateReader: HttpDateReader | undefined;

/** Hands the HTTP-date reader over at start, for a script where `import()` is refused (a service worker). */
export function provideDateReader(parse: HttpDateReader): void {
  dateReader = parse;
}

/**
 * `parseRetryAfter(value, now)` for an answer the client has just received, with the HTTP-date
 * reader loaded only when a value is not delta-seconds (servers send seconds; dates are rare):
 * the result is the same, `now` is taken before the reader loads. Should the reader fail to
 * load (a browser that cannot fetch the chunk), a date reads as unreadable, as it would if it
 * were garbled: the answer's error is kept, the caller falls back to its own backoff.
 */
export async function retryAfterOfAnswer(value: string | null, now: number = Date.now()): Promise<number | undefined> {
  const hasDate = typeof value === 'string' && listValues(value.trim()).some((text) => !DELTA_SECONDS.test(text));
  const parseDate = hasDate ? (dateReader ?? (await import('./http-date.js').then((module) => module.parseHttpDate, () => noDate))) : noDate;
  return readRetryAfter(value, now, parseDate);
}
