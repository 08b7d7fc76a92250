// Events: `on()` returns the function that unsubscribes (and it stops delivery at once, for that
// subscription only); the event map is a type, so listeners are checked at compile time. The
// `expectTypeOf` lines are checked by `tsc` (npm run typecheck), the rest at run time.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AuthorizationMail,
  DeadReason,
  DrainSummary,
  ErrorInfo,
  Language,
  Outbox,
  OutboxEventName,
  OutboxEvents,
  PauseReason,
} from '../../src/index.js';
import { makeRecords, useOutboxes } from './support.js';

describe('on()', () => {
  const { startMock, open } = useOutboxes();

  it('returns an unsubscribe function that stops delivery to that listener', async () => {
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 1 });
    const seen: string[] = [];
    const off = outbox.on('sent', ({ record }) => {
      seen.push(record.id);
      if (seen.length === 2) off();
    });
    await outbox.enqueue(makeRecords(5));

    expect(await outbox.drain()).toEqual({ sent: 5, failed: 0, pending: 0 });
    expect(seen).toEqual(['r0', 'r1']);
  });

  it('unsubscribes only its own subscription, also when the same function was subscribed twice', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const calls: string[] = [];
    const listener = (event: OutboxEvents['enqueued']) => void calls.push(event.record.id);
    const offFirst = outbox.on('enqueued', listener);
    outbox.on('enqueued', listener);
    const offOther = outbox.on('enqueued', () => void calls.push('other'));

    offFirst();
    offOther();
    offOther(); // twice is harmless
    await outbox.enqueue({ id: 'a' });

    expect(calls).toEqual(['a']);
  });

  it('keeps delivering to other listeners, and reports through `error`, when a listener throws', async () => {
    const mock = await startMock();
    const outbox = open(mock);
    const errors: Array<OutboxEvents['error']> = [];
    outbox.on('error', (event) => void errors.push(event));
    outbox.on('sent', () => {
      throw new Error('listener bug');
    });
    const sent: string[] = [];
    outbox.on('sent', ({ record }) => void sent.push(record.id));
    await outbox.enqueue(makeRecords(2));

    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(sent).toEqual(['r0', 'r1']);
    expect(errors.map((event) => event.during)).toEqual(['listener', 'listener']);
    expect(errors[0]?.error.message).toContain('listener bug');
  });
});

describe('the event map, at compile time', () => {
  it('types every payload', () => {
    // The events DESIGN.md names are all there (a platform may add more).
    expectTypeOf<'enqueued' | 'sending' | 'sent' | 'retrying' | 'failed' | 'paused' | 'resumed' | 'drained' | 'error'>().toExtend<OutboxEventName>();

    expectTypeOf<OutboxEvents['enqueued']>().toEqualTypeOf<{ record: AuthorizationMail; projectId: string }>();

    expectTypeOf<OutboxEvents['sending']['records']>().toEqualTypeOf<AuthorizationMail[]>();
    expectTypeOf<OutboxEvents['sending']['language']>().toEqualTypeOf<Language | undefined>();
    expectTypeOf<OutboxEvents['sending']['attempt']>().toEqualTypeOf<number>();

    expectTypeOf<OutboxEvents['sent']>().toHaveProperty('record').toEqualTypeOf<AuthorizationMail>();
    expectTypeOf<OutboxEvents['sent']>().toHaveProperty('projectId').toEqualTypeOf<string>();
    expectTypeOf<OutboxEvents['sent']>().toHaveProperty('attempt').toEqualTypeOf<number>();
    expectTypeOf<OutboxEvents['sent']['requestId']>().toEqualTypeOf<string | undefined>();

    expectTypeOf<OutboxEvents['retrying']>().toExtend<{
      record: AuthorizationMail;
      attempt: number;
      delayMs: number;
      retryAt: number;
      error: ErrorInfo;
    }>();
    expectTypeOf<OutboxEvents['retrying']['error']['status']>().toEqualTypeOf<number | undefined>();

    expectTypeOf<OutboxEvents['failed']['reason']>().toEqualTypeOf<DeadReason>();
    expectTypeOf<DeadReason>().toEqualTypeOf<'rejected' | 'max-attempts' | 'expired'>();
    expectTypeOf<OutboxEvents['failed']['attempts']>().toEqualTypeOf<number>();
    expectTypeOf<OutboxEvents['failed']['error']>().toEqualTypeOf<ErrorInfo>();

    expectTypeOf<OutboxEvents['paused']['reason']>().toEqualTypeOf<PauseReason>();
    expectTypeOf<PauseReason>().toEqualTypeOf<'auth' | 'forbidden' | 'offline' | 'config'>();
    expectTypeOf<OutboxEvents['resumed']>().toEqualTypeOf<{ reason: PauseReason }>();
    expectTypeOf<OutboxEvents['drained']>().toEqualTypeOf<DrainSummary>();
    expectTypeOf<DrainSummary>().toEqualTypeOf<{ sent: number; failed: number; pending: number }>();
    expectTypeOf<OutboxEvents['error']['during']>().toEqualTypeOf<'store' | 'listener' | 'internal'>();
  });

  it('checks listeners against their event', () => {
    const typeOnly = (outbox: Outbox) => {
      const off = outbox.on('failed', (event) => {
        expectTypeOf(event.reason).toEqualTypeOf<DeadReason>();
        expectTypeOf(event.record.id).toBeString();
      });
      expectTypeOf(off).toEqualTypeOf<() => void>();
      outbox.on('paused', (event) => expectTypeOf(event.reason).toEqualTypeOf<PauseReason>());
      // @ts-expect-error: not an event of the outbox
      outbox.on('delivered', () => undefined);
      // @ts-expect-error: `sent` carries no `reason`
      outbox.on('sent', (event) => event.reason);
      // @ts-expect-error: a `failed` reason is never 'timeout'
      outbox.on('failed', (event) => event.reason === 'timeout');
    };
    expect(typeof typeOnly).toBe('function');
  });
});
