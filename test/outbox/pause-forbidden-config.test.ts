// 403 pauses the outbox (`forbidden`); 405 and 415 pause it (`config`): the caller or the
// endpoint is wrong, not the records. In every case the records are kept, none is dead-lettered.
import { describe, expect, it } from 'vitest';
import type { PauseReason } from '../../src/index.js';
import type { MockWorkspaceOptions } from '../../src/mock-server.js';
import { sends } from '../helpers/mock-requests.js';
import { recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

const FORBIDDEN_TOKEN = 'authenticated-but-not-allowed';

const cases: Array<{ name: string; status: number; reason: PauseReason; mock: MockWorkspaceOptions; token?: string }> = [
  { name: '403 (a token without the permission)', status: 403, reason: 'forbidden', mock: { forbiddenTokens: [FORBIDDEN_TOKEN] }, token: FORBIDDEN_TOKEN },
  { name: '405 (method not allowed)', status: 405, reason: 'config', mock: { faults: [{ status: 405 }] } },
  { name: '415 (unsupported media type)', status: 415, reason: 'config', mock: { faults: [{ status: 415 }] } },
];

describe('an answer that blames the caller, not the records', () => {
  const { startMock, open } = useOutboxes();

  it.each(cases)('$name pauses the outbox ($reason), keeps every record and dead-letters none', async ({ status, reason, mock: mockOptions, token }) => {
    const mock = await startMock(mockOptions);
    const outbox = open(mock, { batchSize: 5, ...(token ? { auth: { token } } : {}) });
    const events = recordEvents(outbox);
    await outbox.enqueue(makeRecords(12));

    const summary = await outbox.drain();

    expect(summary).toEqual({ sent: 0, failed: 0, pending: 12 });
    expect(outbox.pausedReason).toBe(reason);
    expect(events.paused.map(({ event }) => event.reason)).toEqual([reason]);
    expect(events.paused[0]?.event.error).toMatchObject({ status });
    // No retry, no split: one request, then the pause.
    expect(sends(mock).map((request) => request.status)).toEqual([status]);
    const pending = await outbox.pending();
    expect(pending.map((entry) => entry.record.id)).toEqual(makeRecords(12).map((record) => record.id));
    expect(await outbox.dead()).toEqual([]);
    expect(events.failed).toEqual([]);
    expect(events.retrying).toEqual([]);
  });

  it.each(cases)('$name: after resume(), the kept records are delivered', async ({ mock: mockOptions, token }) => {
    const mock = await startMock({ ...mockOptions, tokens: ['fixed-token'] });
    let current = token ?? mock.token;
    const outbox = open(mock, { auth: { token: () => current } });
    await outbox.enqueue(makeRecords(3));
    expect((await outbox.drain()).pending).toBe(3);

    current = token ? 'fixed-token' : mock.token;
    outbox.resume();

    expect(await outbox.drain()).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['r0', 'r1', 'r2']);
  });
});
