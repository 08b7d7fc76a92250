import type { Outbox } from '../outbox/outbox.js';
import type { ErrorInfo, OutboxEntry } from '../store/entry.js';
import { formatProgress, trackProgress, type Progress } from './progress.js';

const EVENTS = ['enqueued', 'sending', 'sent', 'retrying', 'failed', 'paused', 'resumed', 'drained', 'error'] as const;

/** Why a run stopped before it had sent everything it could: `--deadline`, or a signal. */
export type StopReason = 'deadline' | 'SIGINT' | 'SIGTERM';

/** What the summary tells. */
export interface SummaryFacts {
  sent: number;
  failed: number;
  pending: number;
  paused?: string | undefined;
  stopped?: StopReason | undefined;
  requests?: number;
  dead: OutboxEntry[];
}

/** How a command shows what happens: live progress for people, JSON lines for programs. */
export interface Reporter {
  /** Follows the outbox until the returned function is called. */
  follow(outbox: Outbox, initialPending: number): () => void;
  /** Prints the end: totals and the dead-lettered records. */
  summary(facts: SummaryFacts): void;
  /** A plain message (human mode) or a `{ event: 'message' }` line (JSON mode). */
  message(text: string): void;
}

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * An event's payload for a JSON line: a record as its `id` (a batch's as `ids`), the whole
 * record (`record`, `records`) only when `withRecords` (records hold e-mail addresses, and a
 * record that retries would be printed again on every line).
 */
export function eventLine(payload: object, withRecords: boolean): Record<string, unknown> {
  const { record, records, ...rest } = payload as { record?: { id: string }; records?: Array<{ id: string }> };
  return {
    ...(record ? { id: record.id } : {}),
    ...(records ? { ids: records.map((each) => each.id) } : {}),
    ...rest,
    ...(withRecords && record ? { record } : {}),
    ...(withRecords && records ? { records } : {}),
  };
}

/**
 * One JSON object per line: every event as it comes (records as ids unless `records`), then
 * `{ "event": "summary", … }`.
 */
export function jsonReporter(out: Output, { records = false }: { records?: boolean } = {}): Reporter {
  const line = (value: object) => out.write(`${JSON.stringify(value)}\n`);
  return {
    follow(outbox) {
      const offs = EVENTS.map((name) => outbox.on(name, (payload) => line({ event: name, at: new Date().toISOString(), ...eventLine(payload, records) })));
      return () => offs.forEach((off) => off());
    },
    summary(facts) {
      line({ event: 'summary', ...facts, dead: facts.dead.map(deadRow) });
    },
    message(text) {
      line({ event: 'message', text });
    },
  };
}

/**
 * For people: on a terminal a progress bar redrawn in place (at most 10 times a second);
 * elsewhere plain lines, at most one a second, with no escape codes.
 */
export function humanReporter(out: Output): Reporter {
  const tty = out.isTTY === true;
  let requests = 0;
  return {
    follow(outbox, initialPending) {
      let lastDraw = 0;
      let last: Progress | undefined;
      const draw = (progress: Progress, force = false) => {
        last = progress;
        requests = progress.requests;
        const now = Date.now();
        if (!force && now - lastDraw < (tty ? 100 : 1000)) return;
        lastDraw = now;
        out.write(tty ? `\r\x1b[2K${formatProgress(progress, 24, now)}` : `${formatProgress(progress, 0, now)}\n`);
      };
      const offProgress = trackProgress(outbox, initialPending, (progress) => draw(progress));
      const offPause = outbox.on('paused', (e) => out.write(`${tty ? '\n' : ''}paused (${e.reason})${e.error ? `: ${describeErrorInfo(e.error)}` : ''}\n`));
      return () => {
        offProgress();
        offPause();
        if (last) draw(last, true);
        if (tty) out.write('\n');
      };
    },
    summary(facts) {
      const rows = [
        ['sent', facts.sent],
        ['dead-lettered', facts.failed],
        ['pending', facts.pending],
        ['requests', facts.requests ?? requests],
      ];
      out.write(`\n${rows.map(([label, value]) => `  ${String(label).padEnd(14)}${value}`).join('\n')}\n`);
      if (facts.paused) out.write(`  paused: ${facts.paused} (records kept; fix it and run again)\n`);
      if (facts.stopped) out.write(`  stopped: ${facts.stopped === 'deadline' ? 'the deadline passed' : `by ${facts.stopped}`} (the pending records are kept; run again to send them)\n`);
      if (facts.dead.length > 0) out.write(`\n${deadTable(facts.dead)}\n`);
    },
    message(text) {
      out.write(`${text}\n`);
    },
  };
}

/** An error for a person: our description, then what the server said (kept once, in `errorMsg`). */
export function describeErrorInfo(error: ErrorInfo): string {
  return error.errorMsg ? `${error.message}: ${error.errorMsg}` : error.message;
}

function deadRow(entry: OutboxEntry) {
  return { id: entry.record.id, projectId: entry.projectId, reason: entry.deadReason, attempts: entry.attempts, error: entry.lastError };
}

/** The dead-lettered records as an aligned table: id, reason, requests it took, last error. */
export function deadTable(dead: OutboxEntry[]): string {
  const rows = dead.map((entry) => [
    entry.record.id,
    entry.deadReason ?? '',
    String(entry.attempts),
    entry.lastError ? [entry.lastError.status, entry.lastError.errorCode, entry.lastError.errorMsg ?? entry.lastError.message].filter(Boolean).join(' ') : '',
  ]);
  const header = ['dead-lettered id', 'reason', 'requests', 'last error'];
  // A loop, not Math.max(...rows): a spread of many thousand rows would overflow the stack.
  const widths = header.map((title) => title.length);
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  const format = (row: string[]) => `  ${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}`;
  return [format(header), ...rows.map(format)].join('\n');
}
