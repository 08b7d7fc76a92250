// wks-mail-outbox/node: the core, plus the crash-safe file store, which is the default store here.
import { createEngine, type Outbox } from './outbox/outbox.js';
import type { OutboxOptions } from './outbox/options.js';
import { FileStore } from './store/FileStore.js';
import { parseNodeExtras } from './options/host-options.js';

export * from './index.js';
export { FileStore, type FileStoreOptions } from './store/FileStore.js';

export interface NodeOutboxOptions extends OutboxOptions {
  /** Directory of the default `FileStore` (ignored when `store` is given). @default './.wks-mail-outbox' */
  readonly dir?: string;
  /** Wait this long for another process to release the store's lock. @default 0 (fail at once with `StoreLockedError`) */
  readonly lockWaitMs?: number;
}

/**
 * `createOutbox` for Node: unless `options.store` is given, the queue lives in a `FileStore`
 * in `options.dir` (default `./.wks-mail-outbox`), which the outbox opens, locks and closes.
 * @example
 * const outbox = createOutbox({ endpoint, projectId, auth: { ak, sk }, dir: '/var/lib/my-app/outbox' });
 */
export function createOutbox(options: NodeOutboxOptions): Outbox {
  const { dir, lockWaitMs, core } = parseNodeExtras(options);
  return createEngine(core, { makeStore: () => new FileStore({ dir, lockWaitMs }) });
}
