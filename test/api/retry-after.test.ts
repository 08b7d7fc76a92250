// Retry-After is honoured when the service sends it: delta-seconds or an HTTP-date, in ms from now.
import { describe, expect, it } from 'vitest';
import { isApiError, parseRetryAfter, resendAuthorizationMails, type ApiError } from '../../src/index.js';
import { callOptions, useMock } from '../helpers/api-calls.js';
import { rejectionOf } from '../helpers/caught.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0); // Wed, 15 Jan 2025 12:00:00 GMT

describe('parseRetryAfter reads delta-seconds', () => {
  it.each`
    header      | ms
    ${'0'}      | ${0}
    ${'1'}      | ${1_000}
    ${'3'}      | ${3_000}
    ${'120'}    | ${120_000}
    ${'86400'}  | ${86_400_000}
    ${' 7 '}    | ${7_000}
    ${'007'}    | ${7_000}
  `('"$header" is $ms ms', ({ header, ms }: { header: string; ms: number }) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it.each`
    header     | ms
    ${'1.5'}   | ${1_500}
    ${'0.25'}  | ${250}
    ${'2.0004'} | ${2_000}
  `('fractional "$header" is $ms ms (rounded to whole ms)', ({ header, ms }: { header: string; ms: number }) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it('does not depend on the clock', () => {
    expect(parseRetryAfter('5', 0)).toBe(5_000);
    expect(parseRetryAfter('5')).toBe(5_000);
  });
});

describe('parseRetryAfter reads HTTP-dates relative to now', () => {
  it('a date 30 s in the future is 30000 ms', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
  });

  it('the RFC 9110 example date, 2 minutes ahead', () => {
    const now = Date.UTC(2015, 9, 21, 7, 26, 0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(120_000);
  });

  it('the obsolete RFC 850 form is read too', () => {
    expect(parseRetryAfter('Wednesday, 15-Jan-25 12:00:10 GMT', NOW)).toBe(10_000);
  });

  it('the obsolete asctime form is GMT, whatever the local time zone', () => {
    // RFC 9110 §5.6.7: every HTTP-date is GMT, asctime's included although it names no zone.
    const before = process.env['TZ'];
    process.env['TZ'] = 'Asia/Shanghai';
    try {
      expect(parseRetryAfter('Wed Jan 15 12:00:20 2025', NOW)).toBe(20_000);
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('a date in the past means "now" (0), never a negative delay', () => {
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0);
  });

  it('a date equal to now is 0', () => {
    expect(parseRetryAfter(new Date(NOW).toUTCString(), NOW)).toBe(0);
  });
});

describe('parseRetryAfter ignores what it cannot read (undefined: the caller backs off on its own)', () => {
  it.each([null, undefined, '', '   '])('absent or empty (%j)', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });

  it.each(['-5', '-0.5', '1e3', '0x10', '1;5', '.5', '5.', '+5', 'Infinity', 'NaN', 'soon', 'tomorrow', '3 seconds', 'Wed, 99 Foo 2025 99:99:99 GMT'])(
    'garbage %j',
    (header) => {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    },
  );

  // Date.parse in V8 reads "x 12" as December 2001 and "retry 10" as October 2001: neither is an
  // HTTP-date, and reading them as "a date in the past, retry at once" defeats the backoff.
  it.each(['x 12', 'retry 10', 'later 2', 'May 5'])('text that only a lenient date parser would read, %j', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });
});

describe('Retry-After from the service reaches ApiError.retryAfterMs', () => {
  const mock = useMock();

  async function throttledError(): Promise<ApiError> {
    const error = await rejectionOf(resendAuthorizationMails({ ...callOptions(mock.current), records: [{ id: 'r1' }] }));
    if (!isApiError(error)) throw error;
    return error;
  }

  it('"Retry-After: 3" on a 429 is 3000 ms', async () => {
    mock.current.inject({ status: 429, retryAfter: 3 });
    const error = await throttledError();
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(3_000);
  });

  it('"Retry-After: 1.5" on a 503 is 1500 ms', async () => {
    mock.current.inject({ status: 503, retryAfter: '1.5' });
    expect((await throttledError()).retryAfterMs).toBe(1_500);
  });

  it('an HTTP-date about 5 s ahead is about 5000 ms', async () => {
    // HTTP-dates have whole seconds: the value is between 4 and 6 s, minus the time in transit.
    mock.current.inject({ status: 503, retryAfter: new Date(Date.now() + 5_000).toUTCString() });
    const error = await throttledError();
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(3_500);
    expect(error.retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it('an HTTP-date in the past is 0 ms', async () => {
    mock.current.inject({ status: 503, retryAfter: 'Thu, 01 Jan 2015 00:00:00 GMT' });
    expect((await throttledError()).retryAfterMs).toBe(0);
  });

  it('no Retry-After header is undefined', async () => {
    mock.current.inject({ status: 429 });
    expect((await throttledError()).retryAfterMs).toBeUndefined();
  });

  it('a garbage Retry-After header is undefined', async () => {
    mock.current.inject({ status: 503, retryAfter: 'soon-ish' });
    expect((await throttledError()).retryAfterMs).toBeUndefined();
  });
});
