// The queue the CLI's `status`, `dead`, `requeue` and `purge` work on, in a directory (a
// FileStore, locked like any outbox) or in PostgreSQL (the whole fleet's rows): no endpoint,
// no credentials, nothing sent.
import { Queue } from '../outbox/queue.js';
import { FileStore } from '../store/FileStore.js';
import type { OutboxEntry } from '../store/entry.js';
import { PostgresStore } from '../store/postgres/PostgresStore.js';
import type { CliArgs } from './args.js';

export interface MaintenanceQueue {
  pending(): Promise<OutboxEntry[]>;
  dead(): Promise<OutboxEntry[]>;
  requeue(ids: readonly string[] | undefined): Promise<number>;
  purge(ids: readonly string[] | undefined): Promise<number>;
  /** This machine's clock plus the store's offset (PostgreSQL's clock for a queue there). */
  now(): number;
  close(): Promise<void>;
}

export function openMaintenanceQueue(args: CliArgs, report: (error: Error) => void): MaintenanceQueue {
  if (!args.postgres) {
    const store = new FileStore({ dir: args.dir });
    const queue = new Queue({ store, report });
    return { pending: () => queue.pending(), dead: () => queue.dead(), requeue: (ids) => queue.requeue(ids), purge: (ids) => queue.purge(ids), now: Date.now, close: () => store.close() };
  }
  // Claims nothing (workers may be sending), and creates nothing: a mistyped schema is an error.
  const store = new PostgresStore({ connectionString: args.postgres.url, schema: args.postgres.schema, migrate: false, poolSize: 1 });
  store.claiming = false;
  return {
    pending: () => store.rows('pending'),
    dead: () => store.rows('dead'),
    requeue: (ids) => store.requeue(ids),
    purge: (ids) => store.purge(ids),
    now: () => store.now(),
    close: () => store.close(),
  };
}
