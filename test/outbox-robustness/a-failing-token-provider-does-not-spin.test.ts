// A token provider is the caller's code and may fail (IAM down, refresh token revoked). The
// outbox keeps the records, reports the fault without the secret, and does not spin: a record's
// attempts stay within `maxAttempts` (which "counts every send"), so it ends dead-lettered or
// the outbox pauses ('auth'), and drain() resolves.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/outbox-events.js';
import { useOutboxes } from '../helpers/outboxes.js';
import { records } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { within } from '../helpers/within.js';

const { startMock, open } = useOutboxes();

const SECRET = 'tok-SECRET-in-the-provider-error-0001';

function failingProvider(): () => never {
  return () => {
    throw new Error(`IAM refused the refresh token ${SECRET}`);
  };
}

describe('a token provider that keeps throwing', () => {
  it('does not retry past maxAttempts: drain resolves with the record dead-lettered or the outbox paused', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    const outbox = open(mock, { store, auth: { token: failingProvider() }, retry: { maxAttempts: 3 } });
    await outbox.enqueue(records('a'));

    await within(outbox.drain(), 'drain()');
    const [entry] = (await store.load()).entries;
    expect(entry?.attempts ?? 0).toBeLessThanOrEqual(3);
    expect(outbox.pausedReason === 'auth' || entry?.state === 'dead').toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it('does not spin: it backs off or pauses, instead of trying again every minDelayMs', async () => {
    const mock = await startMock();
    // With exponential backoff from 10 ms (10, 20, 40, 80, 160 …) or a pause, 500 ms hold a few tries at most.
    const outbox = open(mock, { auth: { token: failingProvider() }, retry: { minDelayMs: 10, maxDelayMs: 10_000 } });
    const events = recordEvents(outbox);
    outbox.start();
    await outbox.enqueue(records('a'));
    await sleep(500);
    expect(events.of('error').length + events.of('retrying').length).toBeLessThanOrEqual(10);
    expect(events.of('sending').length).toBeLessThanOrEqual(10);
  });

  it('keeps the record and reports the fault without the secret', async () => {
    const mock = await startMock();
    const store = new MemoryStore();
    const outbox = open(mock, { store, auth: { token: failingProvider() } });
    const events = recordEvents(outbox);
    const paused = nextEvent(outbox, 'paused');
    outbox.start();
    await outbox.enqueue(records('a'));
    expect(await within(paused, 'the pause after the provider failed')).toMatchObject({ reason: 'auth' });
    await outbox.close();
    expect((await store.load()).entries).toMatchObject([{ record: { id: 'a' }, lastError: { name: 'AuthError' } }]);
    expect(JSON.stringify(events.all)).not.toContain(SECRET);
    expect(JSON.stringify(await store.load())).not.toContain(SECRET);
  });
});
