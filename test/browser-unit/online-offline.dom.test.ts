// @vitest-environment happy-dom
// The browser outbox pauses (reason `offline`) while the browser is offline, sends nothing
// meanwhile, and drains at once when it is back; only an offline pause is lifted by `online`.
import { afterEach, describe, expect, it } from 'vitest';
import { useBrowserOutboxes } from '../helpers/browser-outboxes.js';
import { sends } from '../helpers/mock-requests.js';
import { stubOnLine } from '../helpers/navigator-online.js';
import { collect, nextEvent } from '../helpers/outbox-events.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { until } from '../helpers/until.js';

const { startMock, open } = useBrowserOutboxes();

let online = true;
let restoreOnLine: (() => void) | undefined;
function goOffline(): void {
  restoreOnLine ??= stubOnLine(() => online);
  online = false;
  window.dispatchEvent(new Event('offline'));
}
function goOnline(): void {
  restoreOnLine ??= stubOnLine(() => online);
  online = true;
  window.dispatchEvent(new Event('online'));
}
afterEach(() => {
  online = true;
  restoreOnLine?.();
  restoreOnLine = undefined;
});

describe('online and offline', () => {
  it('going offline pauses with reason offline, and nothing is sent while offline', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const paused = collect(outbox, 'paused');

    goOffline();
    expect(paused).toEqual([{ reason: 'offline' }]);
    expect(outbox.pausedReason).toBe('offline');
    expect(outbox.getSnapshot().pausedReason).toBe('offline');

    await outbox.enqueue(makeRecords(7, 'offline-'));
    await sleep(150);
    expect(sends(mock)).toHaveLength(0);
    expect(outbox.getSnapshot().counts.pending).toBe(7);
  });

  it('coming back online resumes and drains what was queued meanwhile', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 3 });
    goOffline();
    await outbox.enqueue(makeRecords(7, 'queued-'));
    const resumed = collect(outbox, 'resumed');
    const drained = nextEvent(outbox, 'drained');

    goOnline();

    expect(resumed).toEqual([{ reason: 'offline' }]);
    expect(outbox.pausedReason).toBeUndefined();
    expect(await drained).toEqual({ sent: 7, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(makeRecords(7, 'queued-').map((record) => record.id));
  });

  it('an outbox created while offline starts paused and sends only once online', async () => {
    const mock = await startMock();
    restoreOnLine = stubOnLine(() => online);
    online = false;
    const outbox = open(mock);
    expect(outbox.pausedReason).toBe('offline');
    await outbox.enqueue(makeRecords(3, 'born-offline-'));
    await sleep(100);
    expect(sends(mock)).toHaveLength(0);

    const drained = nextEvent(outbox, 'drained');
    goOnline();
    expect((await drained).sent).toBe(3);
  });

  it('coming back online does not lift a pause of another reason', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    outbox.pause('forbidden');
    goOffline();
    goOnline();
    expect(outbox.pausedReason).toBe('forbidden');
    await outbox.enqueue(makeRecords(2, 'held-'));
    await sleep(100);
    expect(sends(mock)).toHaveLength(0);
  });

  it('a network error is backed off as "maybe offline": the record is retried, not dead-lettered', async () => {
    const mock = await startMock({ faults: [{ drop: true }] });
    const outbox = open(mock);
    const retrying = collect(outbox, 'retrying');
    const sent = collect(outbox, 'sent');
    await outbox.enqueue([{ id: 'dropped-once' }]);
    await until(() => sent.length === 1, 'the record to be sent after the dropped connection');
    expect(retrying).toHaveLength(1);
    expect(retrying[0]?.error.retryable).toBe(true);
    expect(retrying[0]?.delayMs).toBeGreaterThan(0);
    expect(await outbox.dead()).toEqual([]);
  });
});
