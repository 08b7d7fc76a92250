import { entryKey } from '../store/entry.js';
import type { Outbox } from '../outbox/outbox.js';

/** Running totals of a send, kept from the outbox's events. */
export interface Progress {
  total: number;
  sent: number;
  dead: number;
  retrying: number;
  requests: number;
  startedAt: number;
}

/** Follows an outbox's events and keeps the counts a progress display shows. Returns the unsubscribe function. */
export function trackProgress(outbox: Outbox, initialPending: number, onChange: (progress: Progress) => void): () => void {
  const progress: Progress = { total: initialPending, sent: 0, dead: 0, retrying: 0, requests: 0, startedAt: Date.now() };
  const waiting = new Set<string>();
  const settle = (key: string) => {
    if (waiting.delete(key)) progress.retrying = waiting.size;
  };
  const offs = [
    outbox.on('enqueued', () => void progress.total++),
    outbox.on('sending', () => void progress.requests++),
    outbox.on('sent', (e) => {
      progress.sent++;
      settle(entryKey(e.projectId, e.record.id));
    }),
    outbox.on('failed', (e) => {
      progress.dead++;
      settle(entryKey(e.projectId, e.record.id));
    }),
    outbox.on('retrying', (e) => {
      waiting.add(entryKey(e.projectId, e.record.id));
      progress.retrying = waiting.size;
    }),
  ];
  const unsubscribeAll = () => offs.forEach((off) => off());
  for (const name of ['sending', 'sent', 'failed', 'retrying'] as const) offs.push(outbox.on(name, () => onChange(progress)));
  return unsubscribeAll;
}

/** `sent 120/300 · retrying 3 · dead 1 · pending 176 · 45.2/s`, with a bar when `barWidth` > 0. */
export function formatProgress(progress: Progress, barWidth: number, now: number = Date.now()): string {
  const pending = Math.max(0, progress.total - progress.sent - progress.dead);
  const seconds = Math.max(0.001, (now - progress.startedAt) / 1000);
  const rate = (progress.sent / seconds).toFixed(1);
  const text = `sent ${progress.sent}/${progress.total} · retrying ${progress.retrying} · dead ${progress.dead} · pending ${pending} · ${rate}/s`;
  if (barWidth <= 0) return text;
  const done = progress.total === 0 ? 0 : Math.round(((progress.sent + progress.dead) / progress.total) * barWidth);
  return `[${'#'.repeat(done)}${'.'.repeat(barWidth - done)}] ${text}`;
}
