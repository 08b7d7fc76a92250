// The web console demo: plain DOM on top of the browser entry's subscribe()/getSnapshot().
import { createOutbox, type OutboxSnapshot, type SnapshotRecord } from '../../src/browser.js';
import { registerDemoWorker, showWorkerMode, workerRoleText } from './service-worker-mode.js';

interface DemoConfig {
  url: string;
  projectId: string;
  token: string;
  /** Who sends: `npm run demo:web -- --service-worker` says 'service-worker'. */
  sender?: 'tabs' | 'service-worker';
}

const config = (await (await fetch('/config.json')).json()) as DemoConfig;
const sender = config.sender ?? 'tabs';
// Registered before the outbox is created, so that its first look finds the worker.
const registration = sender === 'service-worker' ? await registerDemoWorker(config) : undefined;
const outbox = createOutbox({
  endpoint: config.url,
  projectId: config.projectId,
  // A real console asks its session for a token; the mock's token stands in for it here.
  auth: { token: () => config.token },
  language: 'en-us',
  name: 'demo',
  batchSize: 10,
  retry: { minDelayMs: 500, maxDelayMs: 8000 },
  sender,
});
if (registration) showWorkerMode(outbox, registration);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const MAX_ROWS = 200;
let delivered = 0;
let simulatedOffline = false;

function text(tag: string, content: string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function nextRetry(record: SnapshotRecord, now: number): string {
  if (record.nextAttemptAt === undefined || record.nextAttemptAt <= now) return '';
  return `in ${Math.ceil((record.nextAttemptAt - now) / 1000)} s`;
}

function badge(status: string): HTMLElement {
  return text('span', status, `badge ${status}`);
}

function renderQueue(snapshot: OutboxSnapshot, now: number): void {
  const rows = snapshot.records.filter((record) => record.status !== 'dead').slice(0, MAX_ROWS);
  $('queue').replaceChildren(
    ...rows.map((record) => {
      const row = document.createElement('tr');
      const status = document.createElement('td');
      status.append(badge(record.status));
      row.append(text('td', record.record.id), text('td', record.record.account ?? ''), status, text('td', String(record.attempts)), text('td', nextRetry(record, now)));
      return row;
    }),
  );
  $('queue-empty').hidden = rows.length > 0;
}

function renderDead(snapshot: OutboxSnapshot): void {
  const rows = snapshot.records.filter((record) => record.status === 'dead').slice(0, MAX_ROWS);
  $('dead').replaceChildren(
    ...rows.map((record) => {
      const row = document.createElement('tr');
      const actions = document.createElement('td');
      const requeue = text('button', 'Requeue', 'secondary') as HTMLButtonElement;
      requeue.type = 'button';
      requeue.setAttribute('aria-label', `Requeue ${record.record.id}`);
      requeue.addEventListener('click', () => void outbox.requeue([record.record.id]));
      actions.append(requeue);
      const error = record.lastError ? [record.lastError.status, record.lastError.errorCode, record.lastError.errorMsg ?? record.lastError.message].filter(Boolean).join(' ') : '';
      row.append(text('td', record.record.id), text('td', record.deadReason ?? ''), text('td', String(record.attempts)), text('td', error), actions);
      return row;
    }),
  );
  $('dead-empty').hidden = rows.length > 0;
  ($('requeue-all') as HTMLButtonElement).disabled = rows.length === 0;
}

function render(): void {
  const snapshot = outbox.getSnapshot();
  const now = Date.now();
  for (const status of ['pending', 'sending', 'retrying', 'dead'] as const) $(`count-${status}`).textContent = String(snapshot.counts[status]);
  $('count-sent').textContent = String(delivered);
  $('role').textContent = registration
    ? workerRoleText(snapshot.role, registration)
    : snapshot.role === 'leader' ? 'This tab sends the queue.' : snapshot.role === 'follower' ? 'Another tab sends; this one follows every outcome.' : 'Working as a single tab.';
  const paused = $('paused');
  paused.hidden = snapshot.pausedReason === undefined;
  paused.textContent = snapshot.pausedReason ? `Paused: ${snapshot.pausedReason}${snapshot.pausedReason === 'offline' ? ' (nothing is sent until the network is back)' : ''}` : '';
  ($('offline') as HTMLButtonElement).disabled = snapshot.pausedReason === 'offline';
  ($('online') as HTMLButtonElement).disabled = snapshot.pausedReason !== 'offline';
  renderQueue(snapshot, now);
  renderDead(snapshot);
  document.body.dataset.role = snapshot.role;
  document.body.dataset.paused = snapshot.pausedReason ?? '';
}

function log(line: string): void {
  const list = $('log');
  list.prepend(text('li', `${new Date().toLocaleTimeString()} ${line}`));
  while (list.childElementCount > 100) list.lastElementChild?.remove();
}

outbox.subscribe(render);
outbox.on('sent', () => {
  delivered++;
  render();
});
outbox.on('sending', (e) => log(`sending ${e.records.length} record(s), attempt ${e.attempt}`));
outbox.on('retrying', (e) => log(`retrying ${e.record.id} in ${Math.round(e.delayMs)} ms: ${e.error.message}`));
outbox.on('failed', (e) => log(`dead-lettered ${e.record.id} (${e.reason})`));
outbox.on('paused', (e) => log(`paused: ${e.reason}`));
outbox.on('resumed', (e) => log(`resumed after ${e.reason}`));
outbox.on('coordination', (e) => log(`this tab is now ${e.role}${e.reason ? ` (${e.reason})` : ''}`));

let nextId = Number(sessionStorage.getItem('next-id') ?? '0');
$('add-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const count = Math.max(1, Math.min(500, Number(($('add-count') as HTMLInputElement).value) || 1));
  const tab = Math.random().toString(36).slice(2, 6);
  const records = Array.from({ length: count }, () => {
    const n = nextId++;
    return { id: `mail-${tab}-${n}`, account: `user-${n % 23}`, account_auth_type: 'USER', app_group_id: 'grp-demo', mail_send_type: 'ADD_GROUP_AUTHORIZATION' };
  });
  sessionStorage.setItem('next-id', String(nextId));
  void outbox.enqueue(records).then(({ added }) => log(`enqueued ${added.length} record(s)`));
});
$('flush').addEventListener('click', () => void outbox.flush());
$('offline').addEventListener('click', () => {
  simulatedOffline = true;
  outbox.pause('offline');
});
$('online').addEventListener('click', () => {
  simulatedOffline = false;
  outbox.resume();
});
$('requeue-all').addEventListener('click', () => void outbox.requeue());
setInterval(() => {
  if (outbox.getSnapshot().counts.retrying > 0) render();
}, 1000);
render();
Object.assign(window, { outbox, isSimulatedOffline: () => simulatedOffline });
