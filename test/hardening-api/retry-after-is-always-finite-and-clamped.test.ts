// Every Retry-After read from the network is a finite whole number of ms from 0 to
// MAX_RETRY_AFTER_MS: a 400-digit number once parsed to Infinity, which JSON stored as null and
// made the entry unloadable. Unit level, through a raw HTTP server, and into an outbox's store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOutbox, isApiError, MemoryStore, parseRetryAfter, resendAuthorizationMails, type ApiError } from '../../src/index.js';
import { MAX_RETRY_AFTER_MS } from '../../src/api/retry-after.js';
import { MAX_TIMEOUT_MS } from '../../src/api/request.js';
import { parseStoredEntry } from '../../src/store/entry.js';
import { useHostileServers } from '../helpers/hostile-server.js';
import { PROJECT } from '../helpers/project.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0); // Wed, 15 Jan 2025 12:00:00 GMT
const HUGE = `1${'0'.repeat(400)}`;

describe('parseRetryAfter never returns a number it cannot stand behind', () => {
  it('the cap is the longest delay a timer can wait', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(MAX_TIMEOUT_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(2 ** 31 - 1);
  });

  it.each`
    header                              | ms
    ${HUGE}                             | ${MAX_RETRY_AFTER_MS}
    ${'9'.repeat(306)}                  | ${MAX_RETRY_AFTER_MS}
    ${`${'9'.repeat(400)}.5`}           | ${MAX_RETRY_AFTER_MS}
    ${'2147484'}                        | ${MAX_RETRY_AFTER_MS}
    ${'2147483'}                        | ${2_147_483_000}
    ${'Fri, 01 Jan 2100 00:00:00 GMT'}  | ${MAX_RETRY_AFTER_MS}
    ${'Fri Dec 31 23:59:59 9999'}       | ${MAX_RETRY_AFTER_MS}
    ${'Thu, 01 Jan 1970 00:00:00 GMT'}  | ${0}
    ${'Thursday, 01-Jan-76 00:00:00 GMT'} | ${0}
  `('$header is clamped to $ms ms', ({ header, ms }: { header: string; ms: number }) => {
    const parsed = parseRetryAfter(header, NOW);
    expect(parsed).toBe(ms);
    expect(Number.isFinite(parsed)).toBe(true);
  });

  it.each(['-1', '-0', '1e309', '1E3', '-1e309', 'Infinity', '-Infinity', 'NaN', '0x7fffffff', '١٢'])('%j is not a delay (undefined)', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });

  it('a clock that is not a finite number reads nothing', () => {
    expect(parseRetryAfter('5', Number.NaN)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it.each`
    header                                                              | ms
    ${'3, 120'}                                                         | ${120_000}
    ${'120, 3'}                                                         | ${120_000}
    ${'1,5'}                                                            | ${5_000}
    ${'soon, 7'}                                                        | ${7_000}
    ${'-1, 2'}                                                          | ${2_000}
    ${`5, ${HUGE}`}                                                     | ${MAX_RETRY_AFTER_MS}
    ${'Wed, 15 Jan 2025 12:00:30 GMT, 5'}                               | ${30_000}
    ${'5, Wed, 15 Jan 2025 12:00:30 GMT'}                               | ${30_000}
    ${'Wed, 15 Jan 2025 12:00:30 GMT, Wed, 15 Jan 2025 12:01:00 GMT'}   | ${60_000}
    ${'Wednesday, 15-Jan-25 12:00:10 GMT, 2'}                           | ${10_000}
    ${'Thu, 01 Jan 1970 00:00:00 GMT, Fri, 01 Jan 2100 00:00:00 GMT'}   | ${MAX_RETRY_AFTER_MS}
  `('several values "$header": the largest readable one, $ms ms', ({ header, ms }: { header: string; ms: number }) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it.each([', ', ',', 'soon, later', 'Wed, ', '-1, -2'])('several values of which none is readable (%j): undefined', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });

  it('whatever the text and the clock, the result is undefined or a whole number from 0 to the cap', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.stringMatching(/^\d{1,400}(\.\d{1,5})?$/),
      fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
      fc.constantFrom('-1', '1e309', HUGE, 'Fri, 01 Jan 2100 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT'),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: -8.64e15, max: 8.64e15 }), (pieces, now) => {
        const parsed = parseRetryAfter(pieces.join(', '), now);
        if (parsed === undefined) return;
        expect(Number.isInteger(parsed)).toBe(true);
        expect(parsed).toBeGreaterThanOrEqual(0);
        expect(parsed).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Retry-After headers from a real server reach ApiError.retryAfterMs finite and clamped', () => {
  const startServer = useHostileServers();

  async function retryAfterOf(retryAfter: string | string[]): Promise<number | undefined> {
    const server = await startServer(() => ({ status: 503, headers: { 'retry-after': retryAfter }, body: { error_code: 'WKS.0503', error_msg: 'busy' } }));
    const error = await resendAuthorizationMails({ endpoint: server.url, projectId: PROJECT, auth: { token: 'token-1234' }, records: [{ id: 'r1' }] }).then(
      () => {
        throw new Error('expected a 503');
      },
      (rejection: unknown) => rejection,
    );
    if (!isApiError(error)) throw error;
    expect((error as ApiError).status).toBe(503);
    return error.retryAfterMs;
  }

  it('"1" followed by 400 zeros is the cap, not Infinity', async () => {
    expect(await retryAfterOf(HUGE)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('306 nines are the cap', async () => {
    expect(await retryAfterOf('9'.repeat(306))).toBe(MAX_RETRY_AFTER_MS);
  });

  it('"-1" and "1e309" are no delay at all (undefined: the outbox backs off on its own)', async () => {
    expect(await retryAfterOf('-1')).toBeUndefined();
    expect(await retryAfterOf('1e309')).toBeUndefined();
  });

  it('an HTTP-date in 2100 is the cap; one in 1970 is 0', async () => {
    expect(await retryAfterOf('Fri, 01 Jan 2100 00:00:00 GMT')).toBe(MAX_RETRY_AFTER_MS);
    expect(await retryAfterOf('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
  });

  it('several Retry-After headers: the largest readable value wins (fetch joins them with ", ")', async () => {
    expect(await retryAfterOf(['2', '7'])).toBe(7_000);
    expect(await retryAfterOf(['-1', 'soon', '4'])).toBe(4_000);
    expect(await retryAfterOf(['2', HUGE])).toBe(MAX_RETRY_AFTER_MS);
    const inAnHour = await retryAfterOf(['3', new Date(Date.now() + 3_600_000).toUTCString()]);
    expect(inAnHour).toBeGreaterThan(3_500_000);
    expect(inAnHour).toBeLessThanOrEqual(3_600_000);
  });
});

describe('what an outbox keeps of a huge Retry-After loads back', () => {
  const startServer = useHostileServers();

  it('after a 503 with "Retry-After: 1" and 400 zeros, every stored entry is valid and its retryAfterMs finite', async () => {
    const server = await startServer(() => ({ status: 503, headers: { 'retry-after': HUGE }, body: { error_code: 'WKS.0503', error_msg: 'busy' } }));
    const store = new MemoryStore();
    const outbox = createOutbox({ endpoint: server.url, projectId: PROJECT, auth: { token: 'token-1234' }, store, retry: { jitter: 0 } });
    try {
      await outbox.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
      const stop = new AbortController();
      outbox.on('retrying', () => stop.abort());
      await outbox.drain({ signal: stop.signal }).catch(() => undefined);
      const { entries } = await store.load();
      expect(entries).toHaveLength(3);
      for (const entry of entries) {
        expect(entry.lastError?.retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
        // What a reload (JSON on disk, then the schema) sees.
        expect(parseStoredEntry(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
      }
    } finally {
      await outbox.close();
    }
  });
});
