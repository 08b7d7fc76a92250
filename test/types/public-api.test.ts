// Type tests of the public API: checked by `tsc` (npm test's typecheck), and run as ordinary
// tests so that a broken runtime export also shows. `@ts-expect-error` lines must stay errors.
import { describe, expectTypeOf, it } from 'vitest';
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
  type DrainSummary,
  type ErrorInfo,
  type Outbox,
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
