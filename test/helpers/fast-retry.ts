/**
 * Retry options for tests: small delays and no jitter, so that a suite stays quick and its
 * timing predictable. Harnesses put it under the `retry` a test passes; a test overrides only
 * what it is about.
 */
export const FAST_RETRY = { minDelayMs: 10, maxDelayMs: 200, jitter: 0 } as const;
