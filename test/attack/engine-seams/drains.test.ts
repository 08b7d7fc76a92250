// drain() and flush() of one outbox against the real mock: when they end, what they count, and
// what pause, abort, close() and an enqueue under way do to them.
import { describe, expect, it } from 'vitest';
import { MemoryStore, type Outbox } from '../../../src/index.js';
import { isOutboxClosedError } from '../../../src/errors/OutboxClosedError.js';
import { useOutboxes } from '../../helpers/outboxes.js';
import { makeRecords, records } from '../../helpers/records.js';
import { rejectionOf } from '../../helpers/caught.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { deferred, slowLoading } from './harness.js';

const { startMock, open } = useOutboxes();

/** A store whose writes wait for `release()` (an enqueue stays under way until then). */
function heldWrites(): { store: MemoryStore; release: () => void } {
  const store = new MemoryStore();
  const gate = deferred();
  const putMany = store.putMany.bind(store);
  store.putMany = async (entries) => {
    await gate.promise;
    return putMany(entries);
  };
  return { store, release: () => gate.resolve() };
}

describe('drain() ends when it should', () => {
  it('waits for an enqueue already under way and counts its records', async () => {
    const mock = await startMock();
    const { store, release } = heldWrites();
    const outbox = open(mock, { store });
    const adding = outbox.enqueue(makeRecords(3, 'u'));
    const draining = outbox.drain();
    let ended = false;
    void draining.then(() => (ended = true));
    await sleep(50);
    expect(ended).toBe(false);
    release();
    await adding;
    expect(await within(draining, 'drain')).toEqual({ sent: 3, failed: 0, pending: 0 });
  });

  it('concurrent drains both end once everything is sent, each counting from its start', async () => {
    const mock = await startMock({ latencyMs: 5 });
    const outbox = open(mock, { batchSize: 2 });
    await outbox.enqueue(makeRecords(6, 'c'));
    const [one, two] = await within(Promise.all([outbox.drain(), outbox.drain()]), 'drains');
    expect(one).toEqual({ sent: 6, failed: 0, pending: 0 });
    expect(two).toEqual({ sent: 6, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(makeRecords(6, 'c').map((r) => r.id));
  });

  it('counts dead letters as failed and poison records never come back', async () => {
    const mock = await startMock({ poisonIds: ['p1'] });
    const outbox = open(mock);
    await outbox.enqueue(records('ok1', 'p1', 'ok2'));
    expect(await within(outbox.drain(), 'drain')).toEqual({ sent: 2, failed: 1, pending: 0 });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, pending: 0 });
  });

  it('ends at once while paused, keeps every record, and a drain after resume() sends them', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue(records('a', 'b'));
    outbox.pause('offline');
    expect(await within(outbox.drain(), 'paused drain')).toEqual({ sent: 0, failed: 0, pending: 2 });
    expect(mock.requests).toHaveLength(0);
    outbox.resume();
    expect(await within(outbox.drain(), 'drain')).toEqual({ sent: 2, failed: 0, pending: 0 });
  });

  it('ends when the outbox pauses mid-drain (a 403), with the records kept', async () => {
    const mock = await startMock({ faults: [{ status: 403 }] });
    const outbox = open(mock);
    await outbox.enqueue(records('f1'));
    expect(await within(outbox.drain(), 'drain')).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(outbox.pausedReason).toBe('forbidden');
  });
});

describe('drain() and its AbortSignal', () => {
  it('rejects with the reason when aborted during a backoff, sends nothing more, and a later drain finishes', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 3600 }] });
    const outbox = open(mock, { retry: { maxRetryAfterMs: 3_600_000 } });
    await outbox.enqueue(records('s1'));
    const controller = new AbortController();
    const draining = outbox.drain({ signal: controller.signal });
    await until(() => mock.requests.length === 1, 'the first 503');
    controller.abort('stop it');
    expect(await within(rejectionOf(draining), 'aborted drain').catch((e) => e)).toBe('stop it');
    await sleep(50);
    expect(mock.requests).toHaveLength(1);
    expect(await outbox.pending()).toHaveLength(1);
    expect(await within(outbox.flush(), 'flush')).toEqual({ sent: 1, failed: 0, pending: 0 });
  });

  it('an already aborted signal rejects before anything is sent', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    await outbox.enqueue(records('n1'));
    const controller = new AbortController();
    controller.abort(new Error('early'));
    expect((await rejectionOf(outbox.drain({ signal: controller.signal }))).message).toBe('early');
    await sleep(30);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('drain(), flush() and close()', () => {
  it('a drain waiting through a backoff ends when close() is called; drain after close() is OutboxClosedError', async () => {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 3600 }] });
    const outbox = open(mock, { retry: { maxRetryAfterMs: 3_600_000 } });
    await outbox.enqueue(records('w1'));
    const draining = outbox.drain();
    await until(() => mock.requests.length === 1, 'the 503');
    await within(outbox.close(), 'close');
    expect(await within(draining, 'drain at close')).toEqual({ sent: 0, failed: 0, pending: 1 });
    expect(isOutboxClosedError(await rejectionOf(outbox.drain()))).toBe(true);
  });

  it('a drain called while the store is still being read settles when close() comes first', async () => {
    const mock = await startMock();
    const outbox = open(mock, { store: slowLoading(new MemoryStore(), 100) });
    const draining = outbox.drain().then(
      (summary) => summary,
      (error: unknown) => error,
    );
    await within(outbox.close(), 'close');
    const ended = await within(draining, 'the drain begun before close()', 3000);
    expect(isOutboxClosedError(ended) || (ended as { pending?: number }).pending === 0).toBe(true);
  });

  it('a flush called while the store is still being read settles when close() comes first', async () => {
    const mock = await startMock();
    const outbox = open(mock, { store: slowLoading(new MemoryStore(), 100) });
    const flushing = outbox.flush().then(
      (summary) => summary,
      (error: unknown) => error,
    );
    await within(outbox.close(), 'close');
    await within(flushing, 'the flush begun before close()', 3000);
  });

  it('flush() sends through a Retry-After at once and counts like drain()', async () => {
    const mock = await startMock({ faults: [{ status: 429, retryAfter: 3600 }] });
    const outbox: Outbox = open(mock, { retry: { maxRetryAfterMs: 3_600_000 } });
    const retrying = new Promise((resolve) => outbox.on('retrying', resolve));
    outbox.start();
    await outbox.enqueue(records('g1', 'g2'));
    await within(retrying, 'the 429 handled'); // not just received by the mock: its backoff is set
    expect(await within(outbox.flush(), 'flush')).toEqual({ sent: 2, failed: 0, pending: 0 });
  });
});

describe('pause() while a token provider is still answering', () => {
  it('no request starts after pause() returned', async () => {
    const mock = await startMock();
    const token = deferred<string>();
    let asked = 0;
    const outbox = open(mock, { auth: { token: () => (asked++, token.promise) } });
    await outbox.enqueue(records('tp1'));
    const draining = outbox.drain();
    await until(() => asked === 1, 'the provider asked');
    outbox.pause('offline');
    await within(draining, 'drain ended by the pause');
    token.resolve(mock.token);
    await sleep(100);
    expect(mock.requests).toHaveLength(0);
  });

  it('no request starts after close() began', async () => {
    const mock = await startMock();
    const token = deferred<string>();
    let asked = 0;
    const outbox = open(mock, { auth: { token: () => (asked++, token.promise) } });
    await outbox.enqueue(records('tp2'));
    void outbox.drain();
    await until(() => asked === 1, 'the provider asked');
    const closing = outbox.close();
    token.resolve(mock.token);
    await within(closing, 'close');
    expect(mock.requests).toHaveLength(0);
  });
});
