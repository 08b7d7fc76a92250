// wks-mail-outbox: the isomorphic core. No `node:` import and no DOM-only global at import time.
export * from './api/index.js';
export { createOutbox } from './core-outbox.js';
export type { Outbox, EnqueueOptions, EnqueueResult } from './outbox/outbox-interface.js';
export type { OutboxOptions, RetryOptions } from './outbox/options.js';
export type { OutboxEvents, OutboxEventName, OutboxListener, DrainSummary, PauseReason } from './outbox/events.js';
export { MemoryStore } from './store/MemoryStore.js';
export type { QueueStore, StoreContents } from './store/QueueStore.js';
export { OutboxEntrySchema, entryKey, type OutboxEntry, type ErrorInfo, type DeadReason } from './store/entry.js';
export type { OutboxSnapshot, SnapshotRecord, RecordStatus, OutboxRole } from './outbox/snapshot.js';
export type { OutboxStats } from './outbox/stats.js';
