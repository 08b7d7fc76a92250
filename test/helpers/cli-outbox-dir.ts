// An outbox directory as the CLI leaves it or finds it: filled the way earlier runs would have,
// and read back with the library's own FileStore.
import { startMockWorkspace } from '../../src/mock-server.js';
import { createOutbox, FileStore } from '../../src/node.js';

/**
 * Fills an outbox directory the way earlier runs would have: `dead` ids dead-lettered (the
 * service refused them) and `pending` ids queued but not sent yet. Done in this process with
 * the library itself, against a mock of its own (of project `projectId`, so that a later run
 * against another mock of that project can send them).
 */
export async function seedOutbox(
  dir: string,
  { dead = [], pending = [], projectId }: { dead?: string[]; pending?: string[]; projectId?: string },
): Promise<void> {
  const mock = await startMockWorkspace({ poisonIds: dead, ...(projectId ? { projectId } : {}) });
  const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir, retry: { minDelayMs: 10, jitter: 0 } });
  try {
    if (dead.length > 0) {
      await outbox.enqueue(dead.map((id) => ({ id })));
      const summary = await outbox.drain();
      if (summary.failed !== dead.length) throw new Error(`seeding: expected ${dead.length} dead letters, got ${summary.failed}`);
    }
    // Not started and not drained: these stay queued.
    if (pending.length > 0) await outbox.enqueue(pending.map((id) => ({ id })));
  } finally {
    await outbox.close();
    await mock.close();
  }
}

/** The ids the outbox directory holds, pending and dead-lettered (read with the FileStore). */
export async function queueContents(dir: string): Promise<{ pending: string[]; dead: string[] }> {
  const store = new FileStore({ dir });
  try {
    const { entries } = await store.load();
    const ids = (state: 'pending' | 'dead') =>
      entries
        .filter((entry) => entry.state === state)
        .map((entry) => entry.record.id)
        .sort();
    return { pending: ids('pending'), dead: ids('dead') };
  } finally {
    await store.close();
  }
}
