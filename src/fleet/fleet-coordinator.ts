// How the workers of a PostgreSQL queue share it: every one sends (role `single`), and each
// re-reads (claims) when another worker adds rows or raises the gate (LISTEN/NOTIFY), after its
// own writes, and every `pollMs` in case a notification was missed (a restarted connection).
import type { CoordinatedEngine, Coordinator } from '../outbox/coordinator.js';
import type { PostgresStore } from '../store/postgres/PostgresStore.js';
import { pgProblem } from '../store/postgres/pg-errors.js';

export function fleetCoordinator(store: PostgresStore, pollMs: number): Coordinator & { readonly engine: CoordinatedEngine | undefined } {
  let engine: CoordinatedEngine | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  // A worker that is not sending claims nothing: its reads would only cost the database.
  const look = () => void (store.claiming ? engine?.sync() : undefined);
  return {
    get engine() {
      return engine;
    },
    start(given) {
      engine = given;
      given.setRole('single', 'every worker sends what it has claimed from PostgreSQL');
      store.watch(look);
      poll = setInterval(look, pollMs);
      (poll as { unref?: () => void }).unref?.();
    },
    changed: look,
    forward: () => undefined,
    close() {
      clearInterval(poll);
      engine = undefined;
    },
  };
}

/**
 * Right before each request: which of the batch this worker still holds (renewed on the way).
 * When the database cannot say, none: a batch is never sent on a claim that may have lapsed (its
 * rows come back with the next read that works, if they are still this worker's).
 */
export async function stillHeld(store: PostgresStore, entries: ReadonlyArray<{ key: string; seq: number }>): Promise<ReadonlySet<string>> {
  try {
    return await store.confirm(entries);
  } catch (error) {
    store.onProblem?.(pgProblem('checking its claim before a request', error));
    return new Set();
  }
}
