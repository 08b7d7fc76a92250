import { CliError, EXIT } from './exit-codes.js';
import type { Output, StopReason } from './reporter.js';

/** What ends a sending run early: `--deadline`, SIGINT or SIGTERM, whichever comes first. */
export interface RunStop {
  /** Aborted (with the `StopReason` as its reason) when the run must stop. */
  readonly signal: AbortSignal;
  /** Why it stopped, once it has. */
  readonly reason: StopReason | undefined;
  /** Clears the deadline and gives the signals back to Node's default handling. */
  dispose(): void;
}

/** The exit code of a run that stopped for `reason`. */
export function exitCodeFor(reason: StopReason): number {
  return reason === 'deadline' ? EXIT.deadline : reason === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

/** What a run process offers the stopper: Node's `process` in the CLI. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Starts watching for the end of a run: the deadline (`deadlineMs` after now) and the signals.
 * The first aborts `signal`: the run stops sending, lets the request in flight end, prints its
 * summary and exits with `exitCodeFor(reason)`. A second signal exits at once (the records stay
 * in the store's journal, which is safe to leave at any point).
 */
export function watchForStop(deadlineMs: number | undefined, problems: Output, host: SignalSource = process): RunStop {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason) => {
    if (reason !== undefined) {
      if (why === 'deadline') return;
      problems.write(`wks-mail-outbox: ${why} again: exiting now, without the summary (the pending records are kept)\n`);
      host.exit(exitCodeFor(why));
    }
    reason = why;
    const what = why === 'deadline' ? 'the deadline passed' : `${why} received`;
    problems.write(`wks-mail-outbox: ${what}: stopping; a request under way is waited for${why === 'deadline' ? '' : ` (${why} again to exit at once)`}\n`);
    controller.abort(why);
  };
  const timer = deadlineMs === undefined ? undefined : setTimeout(() => stop('deadline'), deadlineMs);
  const onInterrupt = () => stop('SIGINT');
  const onTerminate = () => stop('SIGTERM');
  host.on('SIGINT', onInterrupt);
  host.on('SIGTERM', onTerminate);
  return {
    signal: controller.signal,
    get reason() {
      return reason;
    },
    dispose() {
      clearTimeout(timer);
      host.off('SIGINT', onInterrupt);
      host.off('SIGTERM', onTerminate);
    },
  };
}

/**
 * `work` (reading the input, listing records), unless the run is stopped first: then a
 * `CliError` with the stop's exit code, as nothing was queued yet.
 */
export function unlessStopped<T>(work: Promise<T>, stop: RunStop, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CliError(`stopped (${stop.reason}) while ${what}; nothing was queued`, exitCodeFor(stop.reason ?? 'SIGINT')));
    if (stop.signal.aborted) return onAbort();
    stop.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => stop.signal.removeEventListener('abort', onAbort));
  });
}
