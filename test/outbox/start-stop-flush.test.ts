// start() keeps sending in the background as records arrive, without anyone calling drain();
// stop() ends that and waits for the batch in flight; flush() sends at once, ignoring backoff
// (the "Resend now" button), even a long Retry-After and even one persisted by a previous run.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { sends } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { until } from '../helpers/until.js';
import { within } from '../helpers/within.js';

describe('start() and stop()', () => {
  const { startMock, open } = useOutboxes();

  it('start() sends records in the background as they arrive, with no drain() call', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const events = recordEvents(outbox);
    await outbox.enqueue({ id: 'queued-before-start' });
    outbox.start();
    await until(() => events.sent.length === 1, 'the record queued before start()');

    await outbox.enqueue({ id: 'first' });
    await until(() => events.sent.length === 2, 'the first record');
    await sleep(30); // idle a while: the background sender must still be there
    await outbox.enqueue(makeRecords(3, 'later'));
    await until(() => events.sent.length === 5, 'the later records');

    expect(mock.deliveredIds()).toEqual(['queued-before-start', 'first', 'later0', 'later1', 'later2']);
    expect(await outbox.pending()).toEqual([]);
  });

  it('stop() waits for the batch in flight, then nothing more is sent until start() again', async () => {
    const mock = await startMock({ latencyMs: 150 });
    const outbox = open(mock);
    const events = recordEvents(outbox);
    outbox.start();
    const sending = nextEvent(outbox, 'sending');
    await outbox.enqueue({ id: 'in-flight' });
    await sending;

    await within(outbox.stop(), 'stop()');

    // The batch in flight was finished (its outcome known) before stop() resolved.
    expect(events.sent.map(({ event }) => event.record.id)).toEqual(['in-flight']);
    await outbox.enqueue({ id: 'after-stop' });
    await sleep(100);
    expect(sends(mock)).toHaveLength(1);
    expect((await outbox.pending()).map((entry) => entry.record.id)).toEqual(['after-stop']);

    outbox.start();
    await until(() => events.sent.length === 2, 'the record enqueued while stopped');
    expect(mock.deliveredIds()).toEqual(['in-flight', 'after-stop']);
  });
});

describe('flush()', () => {
  const { startMock, open } = useOutboxes();

  it('sends at once, ignoring a 60-second Retry-After', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 60 }] });
    const outbox = open(mock, { batchSize: 2 });
    const retrying = nextEvent(outbox, 'retrying');
    await outbox.enqueue(makeRecords(3));
    const drained = outbox.drain();
    expect((await retrying).delayMs).toBe(60_000);
    const flushedAt = Date.now();

    const summary = await within(outbox.flush(), 'flush()');

    expect(summary).toEqual({ sent: 3, failed: 0, pending: 0 });
    // Far below the 60 s Retry-After: flush() did not wait for it (a busy machine may add seconds, not a minute).
    expect(Date.now() - flushedAt).toBeLessThan(30_000);
    expect(await drained).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['r0', 'r1', 'r2']);
  });

  it('after a restart, sends at once despite the backoff and endpoint gate the previous run persisted', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 60 }] });
    const store = new MemoryStore();
    const first = open(mock, { store });
    const retrying = nextEvent(first, 'retrying');
    await first.enqueue({ id: 'a' });
    void first.drain();
    await retrying;
    await first.close();

    const second = open(mock, { store });
    await second.enqueue({ id: 'b' });
    expect(await within(second.flush(), 'flush() after a restart')).toEqual({ sent: 2, failed: 0, pending: 0 });

    expect([...mock.deliveredIds()].sort()).toEqual(['a', 'b']);
    // Nothing left for a third run to wait for.
    const persisted = await store.load();
    expect(persisted.entries).toEqual([]);
    expect(Object.values(persisted.meta).filter((until) => until > Date.now())).toEqual([]);
  });

  it('with nothing in backoff, sends what is pending like drain()', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue(makeRecords(2));

    expect(await outbox.flush()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['r0', 'r1']);
  });
});
