import { isValidationError } from '../errors/ValidationError.js';
import { createOutbox } from '../node.js';
import type { CliArgs } from './args.js';
import type { ServiceConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Reporter } from './reporter.js';

/**
 * Enqueues `records` into the outbox in `args.dir` and drains it (records left from earlier
 * runs go too). Returns the exit code: 0 all sent, 2 some dead-lettered, 3 paused.
 */
export async function enqueueAndDrain(records: unknown[], args: CliArgs, service: ServiceConfig, reporter: Reporter): Promise<number> {
  const outbox = createOutbox({ ...service, dir: args.dir, ...(args.batchSize ? { batchSize: args.batchSize } : {}) });
  try {
    const before = await outbox.pending();
    const stopFollowing = reporter.follow(outbox, before.length);
    let summary;
    try {
      if (records.length > 0) {
        const { added, coalesced } = await outbox.enqueue(records as never[]);
        if (coalesced.length > 0) reporter.message(`${coalesced.length} record(s) were already queued and are sent once`);
        if (added.length === 0 && before.length === 0) reporter.message('nothing new to send');
      }
      summary = await outbox.drain();
    } finally {
      stopFollowing();
    }
    const dead = (await outbox.dead()).filter((entry) => entry.deadReason !== undefined);
    const paused = outbox.pausedReason;
    reporter.summary({ ...summary, paused, dead });
    if (paused) return EXIT.paused;
    return summary.failed > 0 ? EXIT.deadLettered : EXIT.ok;
  } catch (error) {
    if (isValidationError(error)) throw new CliError(`send: ${error.message}; nothing was queued`);
    throw error;
  } finally {
    await outbox.close();
  }
}
