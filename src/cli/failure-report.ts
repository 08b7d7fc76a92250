import type { Outbox } from '../outbox/outbox.js';
import type { ErrorInfo } from '../store/entry.js';
import { formatTime } from './format-time.js';
import { describeErrorInfo, type Output } from './reporter.js';

/** Most record ids named in one line; the rest are counted. */
const MAX_IDS_SHOWN = 5;

/** `4.0 s`, `12 min`, `2.5 h`: a wait as a person reads it. */
export function formatWait(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * An answer's kind (`server`, `throttled`, …); for no answer, the error's name and, when known,
 * what went wrong (`NetworkError: refused`, `TimeoutError`).
 */
function label(error: ErrorInfo): string {
  if (error.status !== undefined) return error.kind ?? error.name;
  return error.kind ? `${error.name}: ${error.kind}` : error.name;
}

function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_IDS_SHOWN).join(', ');
  return ids.length > MAX_IDS_SHOWN ? `${shown} and ${ids.length - MAX_IDS_SHOWN} more` : shown;
}

/**
 * Collects the events one request causes (the outbox emits one per record, synchronously, in a
 * row) and hands them over as one group in a microtask, so that a request makes one line.
 */
function perRequest<T>(keyOf: (event: T) => string, write: (events: T[]) => void): (event: T) => void {
  const groups = new Map<string, T[]>();
  return (event) => {
    const key = keyOf(event);
    const group = groups.get(key);
    if (group) return void group.push(event);
    groups.set(key, [event]);
    queueMicrotask(() => {
      const events = groups.get(key) ?? [];
      groups.delete(key);
      write(events);
    });
  };
}

/**
 * Reports failing requests on `out` (stderr) as they happen, one line per request: what failed
 * and how (status and kind, or the network failure), for how many records, and what comes next
 * (the retry time, the dead-lettering, or the pause). Returns the unsubscribe function.
 * Nothing here can hold a secret: `ErrorInfo` never does.
 */
export function reportFailures(outbox: Outbox, out: Output, now: () => number = Date.now): () => void {
  const line = (error: ErrorInfo, what: string) => out.write(`wks-mail-outbox: ${describeErrorInfo(error)} [${label(error)}] · ${what}\n`);
  const offs = [
    outbox.on(
      'retrying',
      perRequest(
        (e) => `${e.retryAt} ${e.error.message}`,
        (events) => {
          const [first] = events;
          if (!first) return;
          const attempt = events.reduce((highest, e) => Math.max(highest, e.attempt), 0);
          const wait = formatWait(Math.max(0, first.retryAt - now()));
          line(first.error, `${events.length} record(s), attempt ${attempt}; retrying at ${formatTime(first.retryAt)} (in ${wait})`);
        },
      ),
    ),
    outbox.on(
      'failed',
      perRequest(
        (e) => `${e.reason} ${e.error.message}`,
        (events) => {
          const [first] = events;
          if (!first) return;
          const after = first.reason === 'max-attempts' ? ` after ${first.attempts} attempt(s)` : '';
          line(first.error, `${events.length} record(s) dead-lettered (${first.reason}${after}): ${idList(events.map((e) => e.record.id))}`);
        },
      ),
    ),
    outbox.on('paused', (e) => {
      if (e.error) line(e.error, `sending paused (${e.reason}); the records are kept`);
    }),
  ];
  return () => offs.forEach((off) => off());
}
