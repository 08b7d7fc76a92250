import { CliError } from './exit-codes.js';

/** Longest wait a timer can hold (2^31 − 1 ms, about 24.8 days); a longer one would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration flag: `90s`, `5m`, `1h`, `250ms` or plain milliseconds (`1500`); fractions are
 * allowed (`1.5h`). @throws CliError naming the flag for anything else, zero, or more than a
 * timer can hold.
 */
export function durationFlag(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1)) : NaN;
  if (!(ms > 0)) throw new CliError(`${flag} must be a duration such as 90s, 5m, 1h or 1500 (ms), got "${text}"`);
  if (ms > MAX_DURATION_MS) throw new CliError(`${flag} must be at most ${MAX_DURATION_MS} ms (about 24 days), got "${text}"`);
  return ms;
}

/** A whole-number flag of at least `min`. @throws CliError naming the flag. */
export function wholeNumberFlag(flag: string, text: string, min = 1): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new CliError(`${flag} must be a whole number ≥ ${min}, got "${text}"`);
  return value;
}
