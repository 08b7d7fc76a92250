// 400 or 404 on a batch of several: the outbox splits the batch until the records the service
// refuses are alone, dead-letters only those (`rejected`, with the status and error code), and
// delivers every other record once, in a number of requests logarithmic in the batch size.
import { describe, expect, it } from 'vitest';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { duplicates, makeRecords } from '../helpers/records.js';

const BATCH = makeRecords(50);
const IDS = BATCH.map((record) => record.id);
/** Halving a batch of n with one bad record: the full batch, then two halves per level. */
const MAX_SPLIT_REQUESTS = Math.ceil(2 * Math.log2(50)) + 2;

describe('a batch the service refuses because of one record', () => {
  const { startMock, open } = useOutboxes();

  const cases = [
    { name: 'a poison record (400)', bad: 'r37', mock: { poisonIds: ['r37'] }, status: 400, errorCode: 'WKS.00131104' },
    { name: 'an unknown record (404)', bad: 'r08', mock: { unknownIds: ['r08'] }, status: 404, errorCode: 'WKS.0404' },
  ] as const;

  it.each(cases)('$name: only that record is dead-lettered, the other 49 are delivered once, in a logarithmic number of requests', async ({ bad, mock: mockOptions, status, errorCode }) => {
    const mock = await startMock(mockOptions);
    const outbox = open(mock, { batchSize: 50 });
    const events = recordEvents(outbox);
    await outbox.enqueue(BATCH);

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 49, failed: 1, pending: 0 });
    const delivered = mock.deliveredIds();
    expect(duplicates(delivered)).toEqual([]);
    expect([...delivered].sort()).toEqual(IDS.filter((id) => id !== bad));

    const dead = await outbox.dead();
    expect(dead.map((entry) => entry.record.id)).toEqual([bad]);
    expect(dead[0]).toMatchObject({ deadReason: 'rejected', lastError: { status, errorCode } });
    expect(events.failed).toHaveLength(1);
    expect(events.failed[0]?.event).toMatchObject({ record: { id: bad }, reason: 'rejected', error: { status, errorCode } });
    expect(events.failed[0]?.event.error.requestId).toMatch(/^[0-9a-f]{32}$/);

    const requests = sends(mock);
    expect(idsOf(requests[0]!)).toEqual(IDS);
    expect(requests.length).toBeLessThanOrEqual(MAX_SPLIT_REQUESTS);
    // The split ends with the bad record alone; every refused request held it, every other one was answered 200.
    expect(requests.map(idsOf)).toContainEqual([bad]);
    for (const request of requests) {
      expect(request.status === 200, `request of ${idsOf(request).length} records`).toBe(!idsOf(request).includes(bad));
    }
  });

  it('with one poison (400) and one unknown (404) record in the same batch, dead-letters exactly those two', async () => {
    const mock = await startMock({ poisonIds: ['r11'], unknownIds: ['r40'] });
    const outbox = open(mock, { batchSize: 50 });
    await outbox.enqueue(BATCH);

    expect(await outbox.drain()).toEqual({ sent: 48, failed: 2, pending: 0 });

    const dead = await outbox.dead();
    expect(Object.fromEntries(dead.map((entry) => [entry.record.id, entry.lastError?.status]))).toEqual({ r11: 400, r40: 404 });
    expect(dead.every((entry) => entry.deadReason === 'rejected')).toBe(true);
    expect([...mock.deliveredIds()].sort()).toEqual(IDS.filter((id) => id !== 'r11' && id !== 'r40'));
    expect(sends(mock).length).toBeLessThanOrEqual(2 * MAX_SPLIT_REQUESTS);
  });

  it('a single refused record is dead-lettered after one request, without a retry', async () => {
    const mock = await startMock({ poisonIds: ['only'] });
    const outbox = open(mock);
    const events = recordEvents(outbox);
    await outbox.enqueue({ id: 'only' });

    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, pending: 0 });
    expect(sends(mock)).toHaveLength(1);
    expect(events.retrying).toEqual([]);
    expect(events.failed[0]?.event).toMatchObject({ reason: 'rejected', attempts: 1 });
  });
});
