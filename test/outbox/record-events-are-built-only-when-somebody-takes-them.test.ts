// Per-record events (`enqueued`, `sent`, `retrying`, `failed`) are built only when somebody takes
// them: a listener of that event, or a host that publishes every event to other instances. The
// bookkeeping they drive (drain counts, records in flight, the snapshot) happens either way,
// once per batch.
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/outbox/events.js';
import { LiveSnapshot } from '../../src/outbox/live-snapshot.js';
import { RecordEvents } from '../../src/outbox/record-events.js';
import type { OutboxEntry } from '../../src/index.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { makeRecords } from '../helpers/records.js';

const PROJECT = '0123456789abcdef0123456789abcdef';

function entries(count: number): OutboxEntry[] {
  return makeRecords(count).map((record, index) => ({
    key: `${PROJECT}:${record.id}`,
    record,
    projectId: PROJECT,
    seq: index + 1,
    enqueuedAt: 0,
    attempts: 1,
    nextAttemptAt: 0,
    state: 'pending',
  }));
}

function setUp(everyEventWanted: boolean) {
  const events = new Emitter((name, event) => records.observe(name, event));
  const counters = { sent: 0, failed: 0 };
  const snapshot = new LiveSnapshot(() => ({ pending: [], dead: [], pausedReason: undefined, role: 'single' }), () => 0, () => undefined);
  const records = new RecordEvents({ events, counters: () => counters, snapshot, everyEventWanted: () => everyEventWanted });
  let built = 0;
  const make = (entry: OutboxEntry) => {
    built++;
    return { record: entry.record, projectId: entry.projectId, attempt: entry.attempts, requestId: 'req' };
  };
  return { events, counters, snapshot, records, make, built: () => built };
}

describe('record events', () => {
  it('with no listener and no publishing host: no event object is built, and the counts and in-flight keys still follow', () => {
    const { counters, snapshot, records, make, built } = setUp(false);
    const batch = entries(100);
    for (const entry of batch) snapshot.inFlight.add(entry.key);
    const before = snapshot.get();

    records.emit('sent', batch, make);

    expect(built()).toBe(0);
    expect(counters.sent).toBe(100);
    expect(snapshot.inFlight.size).toBe(0);
    expect(snapshot.get()).not.toBe(before); // the picture was rebuilt
  });

  it('with a listener: one event per record, each counted once', () => {
    const { events, counters, records, make, built } = setUp(false);
    const seen: string[] = [];
    events.on('sent', ({ record }) => void seen.push(record.id));

    records.emit('sent', entries(3), make);

    expect(built()).toBe(3);
    expect(seen).toEqual(['r0', 'r1', 'r2']);
    expect(counters.sent).toBe(3);
  });

  it('a listener of another event does not make these ones be built', () => {
    const { events, counters, records, make, built } = setUp(false);
    events.on('failed', () => undefined);

    records.emit('sent', entries(5), make);

    expect(built()).toBe(0);
    expect(counters.sent).toBe(5);
  });

  it('a host that publishes every event gets them all, with no listener here', () => {
    const { counters, records, make, built } = setUp(true);

    records.emit('sent', entries(4), make);

    expect(built()).toBe(4);
    expect(counters.sent).toBe(4);
  });

  it('an event not emitted through the batch path (relayed from the sender) is counted once', () => {
    const { events, counters, snapshot } = setUp(false);
    snapshot.inFlight.add(`${PROJECT}:x`);
    events.emit('failed', { record: { id: 'x' }, projectId: PROJECT, reason: 'rejected', attempts: 1, error: { name: 'ApiError', message: 'no', retryable: false } });

    expect(counters.failed).toBe(1);
    expect(snapshot.inFlight.size).toBe(0);
  });
});

describe('an outbox with no listener', () => {
  const { startMock, open } = useOutboxes();

  it('still counts every record in its drain summary, and a listener added later hears the records after it', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 10 });
    await outbox.enqueue(makeRecords(50));
    expect(await outbox.drain()).toEqual({ sent: 50, failed: 0, pending: 0 });

    const seen: string[] = [];
    outbox.on('sent', ({ record }) => void seen.push(record.id));
    await outbox.enqueue(makeRecords(15, 'later'));
    expect(await outbox.drain()).toEqual({ sent: 15, failed: 0, pending: 0 });
    expect(seen.sort()).toEqual(makeRecords(15, 'later').map((record) => record.id).sort());
    expect(outbox.getSnapshot().counts.pending).toBe(0);
  });
});

describe('sending', () => {
  it('puts the batch in flight once, and the event reaches its listeners', () => {
    const { events, snapshot, records } = setUp(false);
    const batch = entries(3);
    const heard: number[] = [];
    events.on('sending', ({ records: sent }) => void heard.push(sent.length));

    records.sending(batch, { records: batch.map((entry) => entry.record), projectId: PROJECT, language: undefined, attempt: 1 });

    expect([...snapshot.inFlight].sort()).toEqual(batch.map((entry) => entry.key).sort());
    expect(heard).toEqual([3]);
    records.emit('retrying', batch, (entry) => ({ record: entry.record, projectId: PROJECT, attempt: 1, delayMs: 1, retryAt: 1, error: { name: 'E', message: 'm', retryable: true } }));
    expect(snapshot.inFlight.size).toBe(0);
  });
});
