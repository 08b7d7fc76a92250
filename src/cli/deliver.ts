import { isValidationError } from '../errors/ValidationError.js';
import { createOutbox, type Outbox } from '../node.js';
import { createOutbox as createFleetOutbox } from '../postgres.js';
import type { CliArgs } from './args.js';
import type { ServiceConfig } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import { reportFailures } from './failure-report.js';
import type { Output, Reporter } from './reporter.js';
import { exitCodeFor, type RunStop } from './stop.js';

/** Drains until nothing is pending, the outbox pauses, or `signal` aborts (then sending goes on no further). */
async function drainUntilStopped(outbox: Outbox, signal: AbortSignal): Promise<void> {
  try {
    await outbox.drain({ signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  // Stops the workers and waits for a request under way: its outcome is recorded (and counted) before the summary.
  await outbox.stop();
}

/** Records delivered and dead-lettered in this run, counted from the events until the returned function is called. */
function countOutcomes(outbox: Outbox): { sent: number; failed: number; off: () => void } {
  const counts = { sent: 0, failed: 0, off: () => undefined as void };
  const offs = [outbox.on('sent', () => void counts.sent++), outbox.on('failed', () => void counts.failed++)];
  counts.off = () => offs.forEach((off) => off());
  return counts;
}

/**
 * Enqueues `records` into the outbox in `args.dir` (or PostgreSQL) and drains it (records left from earlier
 * runs go too; with no records, only those: `drain`), until done or `stop`. Failing requests are
 * reported on `problems` as they happen. Returns the exit code: 0 all sent, 2 some
 * dead-lettered, 3 paused, 4 the deadline passed with records left, 130/143 a signal.
 */
export async function enqueueAndDrain(records: unknown[], args: CliArgs, service: ServiceConfig, reporter: Reporter, stop: RunStop, problems: Output): Promise<number> {
  const tuning = {
    ...(args.batchSize ? { batchSize: args.batchSize } : {}),
    ...(args.maxAttempts ? { retry: { maxAttempts: args.maxAttempts } } : {}),
  };
  // In PostgreSQL, this run is one more worker of the queue: it sends what it claims, until the
  // whole queue is empty (other workers' records included).
  const outbox = args.postgres
    ? createFleetOutbox({ ...service, ...tuning, connectionString: args.postgres.url, ...(args.postgres.schema ? { schema: args.postgres.schema } : {}) })
    : createOutbox({ ...service, ...tuning, dir: args.dir });
  try {
    const before = await outbox.pending();
    const counts = countOutcomes(outbox);
    const stopFollowing = reporter.follow(outbox, before.length);
    const stopReporting = reportFailures(outbox, problems);
    try {
      // Records that were read are stored even when a stop came meanwhile (storing is quick and
      // local): the summary's "the records not sent are kept" then holds for them too.
      if (records.length > 0) {
        const { added, coalesced } = await outbox.enqueue(records as never[]);
        if (coalesced.length > 0) reporter.message(`${coalesced.length} record(s) were already queued and are sent once`);
        if (added.length === 0 && before.length === 0) reporter.message('nothing new to send');
      } else if (records.length === 0 && before.length === 0) {
        reporter.message(`nothing queued in ${args.postgres ? 'the PostgreSQL queue' : args.dir}`);
      }
      await drainUntilStopped(outbox, stop.signal);
    } finally {
      stopReporting();
      stopFollowing();
      counts.off();
    }
    const pending = (await outbox.pending()).length;
    const dead = (await outbox.dead()).filter((entry) => entry.deadReason !== undefined);
    const paused = outbox.pausedReason;
    const stopped = stop.reason;
    reporter.summary({ sent: counts.sent, failed: counts.failed, pending, paused, stopped, dead });
    // A signal always says so; a deadline only when it left records behind.
    if (stopped && (stopped !== 'deadline' || pending > 0)) return exitCodeFor(stopped);
    if (paused) return EXIT.paused;
    return counts.failed > 0 ? EXIT.deadLettered : EXIT.ok;
  } catch (error) {
    if (isValidationError(error)) throw new CliError(`send: ${error.message}; nothing was queued`);
    throw error;
  } finally {
    await outbox.close();
  }
}
