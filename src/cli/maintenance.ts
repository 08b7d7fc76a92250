import { createOutbox, type Outbox } from '../node.js';
import type { CliArgs } from './args.js';
import type { OutboxEntry } from '../store/entry.js';
import { EXIT } from './exit-codes.js';
import { formatTime } from './format-time.js';
import { deadTable, type Output } from './reporter.js';

/** A well-formed project ID that no record uses: the maintenance outbox never sends. */
const PLACEHOLDER_PROJECT_ID = '00000000000000000000000000000000';

/**
 * The queue commands work on the store alone and never send, so they need no credentials. The
 * outbox they open has a placeholder service (loopback, never contacted) only because every
 * outbox needs one: this reuses the outbox's own requeue and purge instead of a second copy.
 */
function openForMaintenance(dir: string): Outbox {
  return createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: PLACEHOLDER_PROJECT_ID, auth: { token: 'unused' }, dir });
}

/**
 * How many entries wait for their backoff at `now`, and the earliest time one of them is due
 * again. A loop: spreading 200 000 entries into `Math.min(…)` would overflow the stack.
 */
function backoffOf(entries: readonly OutboxEntry[], now: number): { waiting: number; nextRetryAt: number | undefined } {
  let waiting = 0;
  let nextRetryAt: number | undefined;
  for (const { nextAttemptAt } of entries) {
    if (!(nextAttemptAt > now)) continue;
    waiting++;
    if (nextRetryAt === undefined || nextAttemptAt < nextRetryAt) nextRetryAt = nextAttemptAt;
  }
  return { waiting, nextRetryAt };
}

export async function runMaintenance(args: CliArgs, out: Output): Promise<number> {
  const outbox = openForMaintenance(args.dir);
  const print = (human: string, json: object) => out.write(args.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
  try {
    const ids = args.positionals.length > 0 ? args.positionals : undefined;
    switch (args.command) {
      case 'status': {
        const pending = await outbox.pending();
        const dead = await outbox.dead();
        const { waiting, nextRetryAt } = backoffOf(pending, Date.now());
        print(
          `pending ${pending.length} (${waiting} waiting for backoff) · dead-lettered ${dead.length}${
            nextRetryAt === undefined ? '' : ` · next retry ${formatTime(nextRetryAt)}`
          }`,
          { event: 'status', pending: pending.length, waiting, dead: dead.length },
        );
        return EXIT.ok;
      }
      case 'dead': {
        const dead = await outbox.dead();
        if (args.json) for (const entry of dead) print('', { event: 'dead', id: entry.record.id, projectId: entry.projectId, reason: entry.deadReason, attempts: entry.attempts, error: entry.lastError, record: entry.record });
        else print(dead.length === 0 ? 'no dead-lettered records' : deadTable(dead), {});
        return EXIT.ok;
      }
      case 'requeue': {
        const count = await outbox.requeue(ids);
        print(`requeued ${count} record(s)`, { event: 'requeued', count });
        return EXIT.ok;
      }
      case 'purge': {
        const count = await outbox.purge(ids);
        print(`purged ${count} record(s)`, { event: 'purged', count });
        return EXIT.ok;
      }
      default:
        throw new Error(`not a maintenance command: ${args.command}`);
    }
  } finally {
    await outbox.close();
  }
}
