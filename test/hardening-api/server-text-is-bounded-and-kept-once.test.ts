// What is kept of a server's text is bounded (1 KiB of error_msg, 128 characters of error_code
// and X-Request-Id, each marked when cut) and kept once per entry: a 503 storm whose bodies carry
// 63 KiB error_msg once stored it twice per record per attempt and filled the disk.
import { describe, expect, it } from 'vitest';
import { ApiError, createOutbox, MemoryStore, resendAuthorizationMails, type ErrorInfo, type OutboxEntry } from '../../src/index.js';
import { startMockWorkspace } from '../../src/mock-server.js';
import { boundServerText, MAX_CUT_MARK_LENGTH, MAX_SERVER_ID, MAX_SERVER_TEXT } from '../../src/api/server-text.js';
import { entryKey, MAX_ERROR_INFO_TEXT, parseStoredEntry } from '../../src/store/entry.js';
import { checkedEntries } from '../../src/store/entry-copy.js';
import { toErrorInfo } from '../../src/errors/to-error-info.js';
import { useHostileServers } from '../helpers/hostile-server.js';
import { PROJECT } from '../helpers/project.js';

const BIG = 63 * 1024;
/** A server message that can be counted in what is kept: a marker, then 63 KiB. */
const HUGE_MSG = `server-said-this ${'z'.repeat(BIG - 17)}`;

/** No lone surrogate (String.prototype.isWellFormed, which this TypeScript lib does not declare). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('boundServerText', () => {
  it('keeps a text of up to MAX_SERVER_TEXT (1024) characters as it is', () => {
    expect(MAX_SERVER_TEXT).toBe(1024);
    const text = 'é'.repeat(1024);
    expect(boundServerText(text)).toBe(text);
    expect(boundServerText('')).toBe('');
  });

  it('cuts a longer text to 1024 characters and says how much was cut', () => {
    const cut = boundServerText('a'.repeat(BIG));
    expect(cut).toBe(`${'a'.repeat(1024)}… [cut ${BIG - 1024} characters]`);
    expect(cut.length).toBeLessThanOrEqual(MAX_SERVER_TEXT + MAX_CUT_MARK_LENGTH);
  });

  it('never splits a surrogate pair: it keeps one character less', () => {
    const text = `${'a'.repeat(1023)}😀${'b'.repeat(10)}`;
    const cut = boundServerText(text);
    expect(cut).toBe(`${'a'.repeat(1023)}… [cut 12 characters]`);
    expect(isWellFormed(cut)).toBe(true);
    for (let at = 1000; at < 1030; at++) expect(isWellFormed(boundServerText(`${'a'.repeat(at)}${'😀'.repeat(100)}`))).toBe(true);
  });

  it('is idempotent: a cut text is not cut again', () => {
    const once = boundServerText('x'.repeat(10 ** 6));
    expect(boundServerText(once)).toBe(once);
    const id = boundServerText('r'.repeat(5000), MAX_SERVER_ID);
    expect(boundServerText(id, MAX_SERVER_ID)).toBe(id);
    expect(id.length).toBeLessThanOrEqual(MAX_SERVER_ID + MAX_CUT_MARK_LENGTH);
  });
});

describe('ApiError bounds the server text, whoever builds it', () => {
  it('error_msg to 1 KiB, error_code and request id to 128 characters, a delay to a finite one', () => {
    const error = new ApiError({
      status: 503,
      errorCode: 'C'.repeat(10_000),
      errorMsg: HUGE_MSG,
      requestId: 'R'.repeat(10_000),
      retryAfterMs: Number.POSITIVE_INFINITY,
      request: 'POST /v1/x/mails/actions/send',
    });
    expect(error.errorMsg).toBe(boundServerText(HUGE_MSG));
    expect(error.errorMsg).toMatch(/… \[cut 63488 characters\]$/);
    expect(error.errorCode).toMatch(new RegExp(`^C{${MAX_SERVER_ID}}… \\[cut 9872 characters\\]$`));
    expect(error.requestId).toMatch(new RegExp(`^R{${MAX_SERVER_ID}}… \\[cut 9872 characters\\]$`));
    expect(error.retryAfterMs).toBe(2 ** 31 - 1);
    expect(error.message.length).toBeLessThan(2_000);
    expect(new ApiError({ status: 503, retryAfterMs: -5, request: 'x' }).retryAfterMs).toBeUndefined();
    expect(new ApiError({ status: 503, retryAfterMs: Number.NaN, request: 'x' }).retryAfterMs).toBeUndefined();
  });

  it('its ErrorInfo holds the server message once: the message is our own words', () => {
    const error = new ApiError({ status: 503, errorCode: 'WKS.0503', errorMsg: HUGE_MSG, requestId: 'req-1', request: 'POST /v1/p/mails/actions/send' });
    expect(error.message).toContain('server-said-this'); // the thrown error tells the caller what the server said
    const info = toErrorInfo(error);
    expect(info.message).toBe('POST /v1/p/mails/actions/send answered 503 WKS.0503 (request id req-1)');
    expect(occurrences(JSON.stringify(info), 'server-said-this')).toBe(1);
    expect(info.errorMsg).toMatch(/… \[cut 63488 characters\]$/);
  });

  it('an ErrorInfo of any thrown thing is bounded too', () => {
    const info = toErrorInfo(new Error('m'.repeat(10 ** 6)));
    expect(info.message.length).toBeLessThanOrEqual(MAX_ERROR_INFO_TEXT);
    expect(toErrorInfo('s'.repeat(10 ** 6)).message.length).toBeLessThanOrEqual(MAX_ERROR_INFO_TEXT);
    expect(toErrorInfo({ toString: () => { throw new Error('no'); } }).message).toBe('a thrown object');
  });
});

describe('a store refuses what is not bounded or not finite in an ErrorInfo', () => {
  const entry = (lastError: Partial<ErrorInfo>): OutboxEntry => ({
    key: entryKey(PROJECT, 'r1'),
    record: { id: 'r1' },
    projectId: PROJECT,
    seq: 1,
    enqueuedAt: 1,
    attempts: 1,
    nextAttemptAt: 0,
    state: 'pending',
    lastError: { name: 'ApiError', message: 'm', retryable: true, ...lastError },
  });

  it.each<[string, Partial<ErrorInfo>, RegExp]>([
    ['an unbounded errorMsg', { errorMsg: 'z'.repeat(BIG) }, /lastError\.errorMsg/],
    ['an unbounded message', { message: 'z'.repeat(BIG) }, /lastError\.message/],
    ['an unbounded requestId', { requestId: 'z'.repeat(BIG) }, /lastError\.requestId/],
    ['an unbounded errorCode', { errorCode: 'z'.repeat(BIG) }, /lastError\.errorCode/],
    ['an unbounded name', { name: 'z'.repeat(BIG) }, /lastError\.name/],
    ['an infinite retryAfterMs', { retryAfterMs: Number.POSITIVE_INFINITY }, /lastError\.retryAfterMs/],
    ['a NaN retryAfterMs', { retryAfterMs: Number.NaN }, /lastError\.retryAfterMs/],
    ['a negative retryAfterMs', { retryAfterMs: -1 }, /lastError\.retryAfterMs/],
    ['a status of 1000', { status: 1000 }, /lastError\.status/],
    ['a fractional status', { status: 503.5 }, /lastError\.status/],
  ])('%s', (_what, lastError, field) => {
    expect(() => checkedEntries([entry(lastError)], 'putMany')).toThrow(field);
    expect(parseStoredEntry(entry(lastError))).toBeUndefined();
  });

  it('what toErrorInfo writes for the worst server is accepted', () => {
    const info = toErrorInfo(new ApiError({ status: 503, errorCode: 'C'.repeat(BIG), errorMsg: 'M'.repeat(BIG), requestId: 'R'.repeat(BIG), retryAfterMs: 1e300, request: 'P'.repeat(BIG) }));
    expect(() => checkedEntries([entry(info)], 'putMany')).not.toThrow();
    expect(JSON.stringify(info).length).toBeLessThan(2_500);
  });
});

describe('a 503 storm with 63 KiB error_msg keeps about 1 KiB of server text per entry', () => {
  it('in the events and in the store, cut and marked, once per entry', async () => {
    const mock = await startMockWorkspace({ faults: [{ status: 503, errorMsg: HUGE_MSG, times: 1_000 }] });
    const store = new MemoryStore();
    const outbox = createOutbox({
      endpoint: mock.url,
      projectId: mock.projectId,
      auth: { token: mock.token },
      store,
      batchSize: 10,
      retry: { minDelayMs: 1, maxDelayMs: 5, jitter: 0, maxAttempts: 3 },
    });
    const errors: ErrorInfo[] = [];
    outbox.on('retrying', (event) => errors.push(event.error));
    outbox.on('failed', (event) => errors.push(event.error));
    try {
      await outbox.enqueue(Array.from({ length: 30 }, (_, index) => ({ id: `r${index}` })));
      expect(await outbox.drain()).toEqual({ sent: 0, failed: 30, pending: 0 });
      const { entries } = await store.load();
      expect(entries).toHaveLength(30);
      expect(errors).toHaveLength(30 * 3);
      for (const info of [...errors, ...entries.map((entry) => entry.lastError!)]) {
        const json = JSON.stringify(info);
        expect(occurrences(json, 'server-said-this')).toBe(1);
        expect(info.errorMsg).toMatch(/^server-said-this z+… \[cut 63488 characters\]$/);
        expect(info.message).toMatch(/^POST \/v1\/[0-9a-f]{32}\/mails\/actions\/send answered 503 WKS\.0503 \(request id [^)]+\)$/);
        expect(json.length).toBeLessThan(1_500);
      }
      for (const entry of entries) expect(JSON.stringify(entry).length).toBeLessThan(1_800);
    } finally {
      await outbox.close();
      await mock.close();
    }
  });
});

describe('a hostile server\'s huge error_code and X-Request-Id are cut too', () => {
  const startServer = useHostileServers();
  const call = (url: string) => resendAuthorizationMails({ endpoint: url, projectId: PROJECT, auth: { token: 'token-1234' }, records: [{ id: 'r1' }] });

  it('on an error answer', async () => {
    const server = await startServer(() => ({
      status: 400,
      headers: { 'x-request-id': 'I'.repeat(8_000) },
      body: { error_code: 'C'.repeat(20_000), error_msg: 'M'.repeat(40_000) },
    }));
    const error = (await call(server.url).catch((rejection: unknown) => rejection)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.requestId).toBe(`${'I'.repeat(128)}… [cut 7872 characters]`);
    expect(error.errorCode).toBe(`${'C'.repeat(128)}… [cut 19872 characters]`);
    expect(error.errorMsg).toBe(`${'M'.repeat(1024)}… [cut 38976 characters]`);
    expect(JSON.stringify(toErrorInfo(error)).length).toBeLessThan(2_500);
  });

  it('on a 200 (the request id of a delivery, which `sent` events carry)', async () => {
    const server = await startServer(() => ({ status: 200, headers: { 'x-request-id': 'I'.repeat(8_000) } }));
    expect((await call(server.url)).requestId).toBe(`${'I'.repeat(128)}… [cut 7872 characters]`);
  });
});
