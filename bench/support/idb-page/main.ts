// The IndexedDB bench page: three ways to keep a durable queue in IndexedDB, driven from Node
// through `window.bench`. Every write transaction asks for `strict` durability (as
// IndexedDbStore does), so each variant's promise means "on disk".
import { promisifyRequest, set, setMany, update, type UseStore } from 'idb-keyval';
import { IndexedDbStore } from '../../../src/store/IndexedDbStore.js';
import { openOutboxDatabase, closeDatabase } from '../../../src/store/indexeddb/open-database.js';
import { entryKey, type OutboxEntry } from '../../../src/store/entry.js';

type VariantName = 'batched' | 'per-record' | 'one-key';

interface RunOptions {
  variant: VariantName;
  /** Database suffix, unique per run. */
  name: string;
  /** Entries written (untimed) before the timed window. */
  queued: number;
  /** Entries written in the timed window (at most; see `capMs`). */
  window: number;
  /** Entries per call for `batched` and `one-key` (per-record writes one per call). */
  batch: number;
  /** Stop the window after this long (at least one call). */
  capMs: number;
  /** Pause after the prefill, so the storage engine's background work on it is done before timing. */
  settleMs: number;
}

const PROJECT = '0123456789abcdef0123456789abcdef';

function entries(from: number, count: number, prefix: string): OutboxEntry[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    const id = `${prefix}-${index}`;
    return {
      key: entryKey(PROJECT, id),
      record: {
        id,
        account: `user${index}@example.com`,
        account_auth_type: 'USER',
        account_auth_name: `User Number ${index}`,
        app_group_id: `4f6c2b0e9a1d4c7b8e3f${String(index).padStart(12, '0')}`,
        app_group_name: 'Finance desktops (Singapore)',
        mail_send_type: 'ADD_GROUP_AUTHORIZATION',
      },
      projectId: PROJECT,
      language: 'en-us',
      seq: index + 1,
      enqueuedAt: now,
      attempts: 0,
      nextAttemptAt: 0,
      state: 'pending',
    } satisfies OutboxEntry;
  });
}

function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

interface Queue {
  write(batch: OutboxEntry[]): Promise<void>;
  prefill(all: OutboxEntry[]): Promise<void>;
  close(): Promise<void>;
}

function open(variant: VariantName, name: string): Queue {
  if (variant === 'batched') {
    // The library's store: one transaction per putMany (idb-keyval setMany), strict durability.
    const store = new IndexedDbStore({ name });
    return {
      write: (batch) => store.putMany(batch),
      prefill: async (all) => {
        for (const chunk of slices(all, 1000)) await store.putMany(chunk);
      },
      close: () => store.close(),
    };
  }
  const useStore: UseStore = openOutboxDatabase(`wks-mail-outbox:${name}`);
  if (variant === 'per-record') {
    // Naive: one `set` (one transaction) per record.
    return {
      write: async (batch) => {
        for (const entry of batch) await set(`e:${entry.key}`, entry, useStore);
      },
      prefill: async (all) => {
        for (const chunk of slices(all, 1000)) await setMany(chunk.map((entry) => [`e:${entry.key}`, entry]), useStore);
      },
      close: () => closeDatabase(useStore),
    };
  }
  // Naive: the whole queue as one array under one key, read-modify-written per call (one transaction).
  return {
    write: (batch) => update<OutboxEntry[]>('queue', (queue) => [...(queue ?? []), ...batch], useStore),
    prefill: (all) => set('queue', all, useStore),
    close: () => closeDatabase(useStore),
  };
}

async function run(options: RunOptions): Promise<{ ms: number; written: number; calls: number; stored: number; medianCallMs: number; perCall: number }> {
  const queue = open(options.variant, options.name);
  try {
    await queue.prefill(entries(0, options.queued, options.name));
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const perCall = options.variant === 'per-record' ? 1 : options.batch;
    const batches = slices(entries(options.queued, options.window, options.name), perCall);
    let written = 0;
    let calls = 0;
    const callMs: number[] = [];
    const start = performance.now();
    for (const batch of batches) {
      const before = performance.now();
      await queue.write(batch);
      callMs.push(performance.now() - before);
      written += batch.length;
      calls++;
      if (performance.now() - start >= options.capMs) break;
    }
    const ms = performance.now() - start;
    callMs.sort((a, b) => a - b);
    const medianCallMs = callMs[Math.floor(callMs.length / 2)] ?? NaN;
    return { ms, written, calls, stored: await stored(options.variant, options.name), medianCallMs, perCall };
  } finally {
    await queue.close();
    await promisifyRequest(indexedDB.deleteDatabase(`wks-mail-outbox:${options.name}`));
  }
}

/** Reads back how many entries a variant holds (a sanity check, untimed). */
async function stored(variant: VariantName, name: string): Promise<number> {
  const useStore = openOutboxDatabase(`wks-mail-outbox:${name}`);
  try {
    if (variant === 'one-key') return (await useStore('readonly', (store) => promisifyRequest(store.get('queue'))) as unknown[] | undefined)?.length ?? 0;
    return await useStore('readonly', (store) => promisifyRequest(store.count()));
  } finally {
    await closeDatabase(useStore);
  }
}

declare global {
  interface Window {
    bench: { run: typeof run; ready: true };
  }
}
window.bench = { run, ready: true };
