// Two drain() calls at once do not start two senders: the service sees each record once, both
// calls resolve when the queue is empty, and their summaries agree with what was sent.
import { describe, expect, it } from 'vitest';
import { expectDeliveredOnce } from '../helpers/mock-requests.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { ids, records } from '../helpers/records.js';

const { startMock, open } = useOutboxes();

describe('concurrent drain() calls', () => {
  it('started together: each record is sent once, both summaries count all of them, one drained event', async () => {
    const mock = await startMock({ latencyMs: 20 });
    const outbox = open(mock, { batchSize: 3 });
    const events = recordEvents(outbox);
    const wanted = ids('r', 10);
    await outbox.enqueue(records(...wanted));

    const [first, second] = await Promise.all([outbox.drain(), outbox.drain()]);
    expect(first).toEqual({ sent: 10, failed: 0, pending: 0 });
    expect(second).toEqual({ sent: 10, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, wanted);
    expect(mock.requests).toHaveLength(4);
    expect(events.of('drained')).toEqual([{ sent: 10, failed: 0, pending: 0 }]);
  });

  it('with several requests in flight at once (concurrency 3): still each record once', async () => {
    const mock = await startMock({ latencyMs: 20 });
    const outbox = open(mock, { batchSize: 2, concurrency: 3 });
    const wanted = ids('r', 15);
    await outbox.enqueue(records(...wanted));
    const summaries = await Promise.all([outbox.drain(), outbox.drain(), outbox.drain()]);
    for (const summary of summaries) expect(summary).toEqual({ sent: 15, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, wanted);
    expect(mock.requests).toHaveLength(8);
  });

  it('a second drain joining midway counts what was sent after it started; both end together', async () => {
    const mock = await startMock({ latencyMs: 20 });
    const outbox = open(mock, { batchSize: 3 });
    const wanted = ids('r', 10);
    await outbox.enqueue(records(...wanted));

    const firstSent = nextEvent(outbox, 'sent');
    const first = outbox.drain();
    await firstSent;
    const second = outbox.drain();
    expect(await first).toEqual({ sent: 10, failed: 0, pending: 0 });
    expect(await second).toEqual({ sent: 7, failed: 0, pending: 0 });
    expectDeliveredOnce(mock, wanted);
  });

  it('with a record dead-lettered, both summaries count it as failed, not sent', async () => {
    const mock = await startMock({ poisonIds: ['bad'] });
    const outbox = open(mock, { batchSize: 4 });
    await outbox.enqueue(records('a', 'bad', 'c', 'd'));
    const [first, second] = await Promise.all([outbox.drain(), outbox.drain()]);
    expect(first).toEqual({ sent: 3, failed: 1, pending: 0 });
    expect(second).toEqual(first);
    expectDeliveredOnce(mock, ['a', 'c', 'd']);
  });
});
