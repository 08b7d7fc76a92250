// The client reads an answer's Retry-After without the HTTP-date reader (src/api/http-date.ts)
// unless a value is a date: seconds never load it, a date loads it first. Either way the delay is
// exactly what the public parseRetryAfter says for the same header at the same instant. Should
// the reader fail to load, a date counts as unreadable (the answer stays an ApiError: request.ts
// awaits a promise that never rejects).
import { describe, expect, it, vi } from 'vitest';
// Only what the client's path imports: the package entry would load the public parseRetryAfter,
// which needs the date reader at once.
import { isApiError, type ApiError } from '../../src/errors/ApiError.js';
import { resendAuthorizationMails } from '../../src/api/resend.js';
import { retryAfterOfAnswer } from '../../src/api/retry-after-values.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const reader = vi.hoisted(() => ({ loads: 0 }));
vi.mock('../../src/api/http-date.js', async (importOriginal) => {
  reader.loads++;
  return importOriginal();
});

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const HEADERS = [
  null,
  '',
  '0',
  '120',
  '1.5',
  ' 7 ',
  '3, 10',
  '9'.repeat(400),
  '-5',
  'soon',
  'Wed, 15 Jan 2025 12:00:30 GMT',
  'Wednesday, 15-Jan-25 12:01:00 GMT',
  'Wed Jan 15 12:02:00 2025',
  'Wed, 15 Jan 2025 12:00:30 GMT, 5',
  '5, Wed, 15 Jan 2025 11:00:00 GMT',
  'Thu, 01 Jan 2015 00:00:00 GMT',
  'Mon, 31 Feb 2025 00:00:00 GMT',
  'Wed, 15 Jan 2025 12:00:30 UTC',
];

async function throttledError(mock: ReturnType<typeof useMock>): Promise<ApiError> {
  const error = await rejectionOf(resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: 'r1' }] }));
  if (!isApiError(error)) throw error;
  return error;
}

// In order: the cases that must not load the reader come first; the failing load comes last.
describe('Retry-After on the request path', () => {
  const mock = useMock();

  it('seconds are read without loading the date reader', async () => {
    mock.current.inject({ status: 429, retryAfter: 3 });
    expect((await throttledError(mock)).retryAfterMs).toBe(3_000);
    mock.current.inject({ status: 503, retryAfter: '1.5' });
    expect((await throttledError(mock)).retryAfterMs).toBe(1_500);
    mock.current.inject({ status: 503 });
    expect((await throttledError(mock)).retryAfterMs).toBeUndefined();
    expect(await retryAfterOfAnswer('120, 3', NOW)).toBe(120_000);
    expect(reader.loads).toBe(0);
  });

  it('gives what parseRetryAfter gives for every header, dates included', async () => {
    const { parseRetryAfter } = await import('../../src/api/retry-after.js');
    for (const header of HEADERS) {
      expect([header, await retryAfterOfAnswer(header, NOW)]).toEqual([header, parseRetryAfter(header, NOW)]);
    }
    // The dates above were really read (not all undefined): 30 s, 60 s, 120 s ahead of NOW.
    expect(await retryAfterOfAnswer('Wed, 15 Jan 2025 12:00:30 GMT', NOW)).toBe(30_000);
    expect(await retryAfterOfAnswer('Wednesday, 15-Jan-25 12:01:00 GMT', NOW)).toBe(60_000);
    expect(await retryAfterOfAnswer('Wed Jan 15 12:02:00 2025', NOW)).toBe(120_000);
  });

  it('a date from the service loads the reader and becomes the delay', async () => {
    mock.current.inject({ status: 503, retryAfter: new Date(Date.now() + 5_000).toUTCString() });
    const error = await throttledError(mock);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(3_500);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5_000);
    expect(reader.loads).toBeGreaterThan(0);
  });
});

describe('a date reader that cannot load', () => {
  it('reads a date as unreadable; the other values still count', async () => {
    vi.resetModules();
    vi.doMock('../../src/api/http-date.js', () => {
      throw new Error('chunk not reachable');
    });
    const fresh = await import('../../src/api/retry-after-values.js');
    expect(await fresh.retryAfterOfAnswer('Wed, 15 Jan 2025 12:00:30 GMT', NOW)).toBeUndefined();
    expect(await fresh.retryAfterOfAnswer('Wed, 15 Jan 2025 12:00:30 GMT, 7', NOW)).toBe(7_000);
  });
});
