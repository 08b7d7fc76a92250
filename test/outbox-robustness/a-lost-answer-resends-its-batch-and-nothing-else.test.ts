// The README's case (2) of what can be sent twice, with no crash at all: a batch whose answer
// never arrives (here the service is slower than requestTimeoutMs, so the outbox gives up on a
// request the service may still act on) is sent again, because the outbox cannot tell it from a
// failure. Only that batch: every other record goes out once.
import { describe, expect, it } from 'vitest';
import { idsOf, sends } from '../helpers/mock-requests.js';
import { makeRecords } from '../helpers/records.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { within } from '../helpers/within.js';

const { startMock, open } = useOutboxes();

describe('a lost answer', () => {
  it('resends the batch whose answer never arrived, and only that batch', async () => {
    // The 2nd send is held 20 s by the service: far beyond the 1 s timeout, so the outbox's own
    // timer decides, however busy the machine is.
    const mock = await startMock({ faults: [{}, { delayMs: 20_000 }] });
    const outbox = open(mock, { batchSize: 5, concurrency: 1, requestTimeoutMs: 1_000 });
    const records = makeRecords(15, 'lost');
    await outbox.enqueue(records);
    const result = await within(outbox.drain(), 'the drain', 15_000);

    expect(result).toMatchObject({ sent: 15, pending: 0 });
    const requests = sends(mock);
    const lost = requests[1]!;
    expect(lost.fault).toEqual({ delayMs: 20_000 });
    const timesSent = new Map<string, number>();
    for (const request of requests) for (const id of idsOf(request)) timesSent.set(id, (timesSent.get(id) ?? 0) + 1);
    const twice = [...timesSent].filter(([, count]) => count > 1).map(([id]) => id);
    expect(twice.sort()).toEqual(idsOf(lost).sort());
    expect(twice).toHaveLength(5);
    expect([...timesSent.keys()].sort()).toEqual(records.map((record) => record.id).sort());
    expect([...timesSent.values()].every((count) => count <= 2)).toBe(true);
  });
});
