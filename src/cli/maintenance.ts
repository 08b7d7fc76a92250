import type { CliArgs } from './args.js';
import { openMaintenanceQueue } from './maintenance-queue.js';
import type { OutboxEntry } from '../store/entry.js';
import { EXIT } from './exit-codes.js';
import { formatTime } from './format-time.js';
import { deadTable, type Output } from './reporter.js';

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

/** `status`, `dead`, `requeue`, `purge`; store trouble that is not fatal (a quarantined line) goes to `problems`. */
export async function runMaintenance(args: CliArgs, out: Output, problems: Output = process.stderr): Promise<number> {
  const queue = openMaintenanceQueue(args, (error) => problems.write(`wks-mail-outbox: ${error.message}\n`));
  const print = (human: string, json: object) => out.write(args.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
  try {
    const ids = args.positionals.length > 0 ? args.positionals : undefined;
    switch (args.command) {
      case 'status': {
        const pending = await queue.pending();
        const dead = await queue.dead();
        const { waiting, nextRetryAt } = backoffOf(pending, queue.now());
        print(
          `pending ${pending.length} (${waiting} waiting for backoff) · dead-lettered ${dead.length}${
            nextRetryAt === undefined ? '' : ` · next retry ${formatTime(nextRetryAt)}`
          }`,
          { event: 'status', pending: pending.length, waiting, dead: dead.length },
        );
        return EXIT.ok;
      }
      case 'dead': {
        const dead = await queue.dead();
        if (args.json) for (const entry of dead) print('', { event: 'dead', id: entry.record.id, projectId: entry.projectId, reason: entry.deadReason, attempts: entry.attempts, error: entry.lastError, record: entry.record });
        else print(dead.length === 0 ? 'no dead-lettered records' : deadTable(dead), {});
        return EXIT.ok;
      }
      case 'requeue': {
        const count = await queue.requeue(ids);
        print(`requeued ${count} record(s)`, { event: 'requeued', count });
        return EXIT.ok;
      }
      case 'purge': {
        const count = await queue.purge(ids);
        print(`purged ${count} record(s)`, { event: 'purged', count });
        return EXIT.ok;
      }
      default:
        throw new Error(`not a maintenance command: ${args.command}`);
    }
  } finally {
    await queue.close();
  }
}
