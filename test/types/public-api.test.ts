// Type tests of the public API, all in this file: checked by `tsc` (npm test's typecheck), and
// run as ordinary tests so that a broken runtime export also shows. `@ts-expect-error` lines
// must stay errors.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  createOutbox,
  isApiError,
  isOutboxError,
  isStoreError,
  isValidationError,
  MemoryStore,
  resendAuthorizationMails,
  type AuthorizationMail,
  type DeadReason,
  type DrainSummary,
  type ErrorInfo,
  type Language,
  type Outbox,
  type OutboxEventName,
  type OutboxEvents,
  type OutboxOptions,
  type OutboxSnapshot,
  type PauseReason,
  type QueueStore,
  type StoreError,
  type ValidationError,
} from '../../src/index.js';
import { FileStore, createOutbox as createNodeOutbox, type NodeOutboxOptions } from '../../src/node.js';
import { IndexedDbStore, type BrowserOutboxOptions } from '../../src/browser.js';

const base: OutboxOptions = { endpoint: 'https://workspace.ap-southeast-1.myhuaweicloud.com', projectId: '0123456789abcdef0123456789abcdef', auth: { token: 't' } };

describe('public types', () => {
  it('event payloads are typed per event name', () => {
    const outbox = createOutbox(base);
    outbox.on('sent', (event) => {
      expectTypeOf(event.record).toEqualTypeOf<AuthorizationMail>();
      expectTypeOf(event.attempt).toEqualTypeOf<number>();
      expectTypeOf(event.projectId).toEqualTypeOf<string>();
    });
    outbox.on('failed', (event) => {
      expectTypeOf(event.reason).toEqualTypeOf<'rejected' | 'max-attempts' | 'expired'>();
      expectTypeOf(event.error).toEqualTypeOf<ErrorInfo>();
    });
    outbox.on('retrying', (event) => expectTypeOf(event.retryAt).toEqualTypeOf<number>());
    outbox.on('paused', (event) => expectTypeOf(event.reason).toEqualTypeOf<PauseReason>());
    outbox.on('drained', (event) => expectTypeOf(event).toEqualTypeOf<DrainSummary>());
    expectTypeOf(outbox.on('sent', () => undefined)).toEqualTypeOf<() => void>();
    // @ts-expect-error `sent` has no `reason`
    outbox.on('sent', (event) => event.reason);
    // @ts-expect-error no such event
    outbox.on('delivered', () => undefined);
    expectTypeOf<OutboxEvents['sending']['records']>().toEqualTypeOf<AuthorizationMail[]>();
    void outbox.close();
  });

  it('options are typed, with the platform extras on their entries', () => {
    expectTypeOf<OutboxOptions['retry']>().toMatchTypeOf<{ maxAttempts?: number } | undefined>();
    expectTypeOf<OutboxOptions['store']>().toEqualTypeOf<QueueStore | undefined>();
    expectTypeOf<NodeOutboxOptions['dir']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<BrowserOutboxOptions['name']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error batchSize is a number
    const bad: OutboxOptions = { ...base, batchSize: '50' };
    void bad;
    // @ts-expect-error auth needs a token or AK/SK
    const noAuth: OutboxOptions = { ...base, auth: {} };
    void noAuth;
    expectTypeOf(createNodeOutbox).returns.toEqualTypeOf<Outbox>();
  });

  it('error guards narrow', () => {
    const error: unknown = new ApiError({ status: 503, request: 'POST /x' });
    if (isApiError(error)) {
      expectTypeOf(error.status).toEqualTypeOf<number>();
      expectTypeOf(error.kind).toEqualTypeOf<'retryable' | 'rejected' | 'auth' | 'forbidden' | 'config'>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    if (isValidationError(error)) expectTypeOf(error).toEqualTypeOf<ValidationError>();
    if (isStoreError(error)) expectTypeOf(error.operation).toEqualTypeOf<string>();
    if (isOutboxError(error)) expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
    expectTypeOf<StoreError['name']>().toEqualTypeOf<'StoreError'>();
  });

  it('stores implement QueueStore; the snapshot is readonly data', () => {
    expectTypeOf<MemoryStore>().toMatchTypeOf<QueueStore>();
    expectTypeOf<FileStore>().toMatchTypeOf<QueueStore>();
    expectTypeOf<IndexedDbStore>().toMatchTypeOf<QueueStore>();
    expectTypeOf<OutboxSnapshot['counts']['dead']>().toEqualTypeOf<number>();
    expectTypeOf<Outbox['getSnapshot']>().returns.toEqualTypeOf<OutboxSnapshot>();
    expectTypeOf(resendAuthorizationMails).returns.resolves.toMatchTypeOf<{ count: number; requestId: string | undefined }>();
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
