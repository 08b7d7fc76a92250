// Retry-After: after a 503 (or 429) that names a delay, no request of ANY batch goes to the
// endpoint before the delay has passed. The `retrying` event tells when; `maxRetryAfterMs` caps
// what a server may ask; an HTTP-date works like delta-seconds.
import { describe, expect, it } from 'vitest';
import { sends } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

describe('a Retry-After answer', () => {
  const { startMock, open } = useOutboxes();

  it('holds back every batch (not only the one that got it) until the delay has passed, with two requests allowed at once', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 1 }] });
    const outbox = open(mock, { concurrency: 2, batchSize: 2 });
    const events = recordEvents(outbox);
    // More records arrive while the first batch is backing off: other batches, other workers.
    outbox.on('retrying', () => void outbox.enqueue(makeRecords(4, 'later')));
    await outbox.enqueue({ id: 'first' });

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 5, failed: 0, pending: 0 });
    const [refused, ...after] = sends(mock);
    expect(refused?.status).toBe(503);
    expect(after.length).toBeGreaterThanOrEqual(3);
    for (const request of after) {
      expect(request.at - refused!.at, `request of ${request.records?.map((r) => r.id).join(',')}`).toBeGreaterThanOrEqual(1000);
    }
    const retrying = events.retrying[0]!;
    expect(events.retrying).toHaveLength(1);
    expect(retrying.event).toMatchObject({ record: { id: 'first' }, attempt: 1, error: { status: 503, retryAfterMs: 1000 } });
    expect(retrying.event.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retrying.event.retryAt).toBeGreaterThanOrEqual(refused!.at + 1000);
    // retryAt is in the event's own time frame (now + delayMs), give or take a busy machine's pause.
    expect(Math.abs(retrying.event.retryAt - (retrying.at + retrying.event.delayMs))).toBeLessThan(1_000);
    for (const request of after) expect(request.at).toBeGreaterThanOrEqual(retrying.event.retryAt);
    expect([...mock.deliveredIds()].sort()).toEqual(['first', 'later0', 'later1', 'later2', 'later3']);
  });

  it('is capped by retry.maxRetryAfterMs, so a server cannot park the queue for as long as it likes', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 60 }] });
    const outbox = open(mock, { retry: { maxRetryAfterMs: 150 } });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue({ id: 'a' });

    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });

    expect(await retrying).toMatchObject({ delayMs: 150, error: { retryAfterMs: 60_000 } });
    const [refused, delivered] = sends(mock);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(150);
    // Far below the 60 s asked for: the cap held (a busy machine may add seconds, not a minute).
    expect(delivered!.at - refused!.at).toBeLessThan(30_000);
  });

  it('given as an HTTP-date holds requests back until that instant', async () => {
    const mock = await startMock();
    // A whole second (HTTP-dates have no milliseconds) at least 1 s after the request is made, so
    // the date is still ahead when the answer is read, however busy the machine.
    let retryAtMs = 0;
    const injectingFetch: typeof fetch = (input, init) => {
      if (retryAtMs === 0) {
        retryAtMs = Math.ceil((Date.now() + 1_000) / 1_000) * 1_000;
        mock.inject({ status: 503, retryAfter: new Date(retryAtMs).toUTCString() });
      }
      return fetch(input, init);
    };
    const outbox = open(mock, { fetch: injectingFetch });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue({ id: 'a' });

    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, pending: 0 });

    const event = await retrying;
    expect(event.retryAt).toBeGreaterThanOrEqual(retryAtMs);
    const [, delivered] = sends(mock);
    expect(delivered!.at).toBeGreaterThanOrEqual(retryAtMs);
  });

  it('on a 429 is honoured as well', async () => {
    const mock = await startMock({ faults: [{ status: 429, retryAfter: 0.3 }] });
    const outbox = open(mock);
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue({ id: 'a' });

    await outbox.drain();

    expect(await retrying).toMatchObject({ delayMs: 300, error: { status: 429, errorCode: 'APIG.0308' } });
    const [refused, delivered] = sends(mock);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(300);
  });

  it('shorter than the outbox\'s own backoff does not shorten it', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 0.05 }] });
    const outbox = open(mock, { retry: { minDelayMs: 250, maxDelayMs: 1_000 } });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue({ id: 'a' });

    await outbox.drain();

    expect((await retrying).delayMs).toBe(250);
    const [refused, delivered] = sends(mock);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(250);
  });
});
