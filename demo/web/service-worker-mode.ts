// The console's service-worker mode (`npm run demo:web -- --service-worker`): the page registers
// the worker (/sw.js, bundled from demo/web/sw.ts), stores records and wakes it; the worker sends,
// also after every tab is closed. Shown here: who sends (the `coordination` event), the worker's
// state, and how many records the service received (also those sent while no tab was open).
import type { Outbox } from '../../src/browser.js';
import type { OutboxRole } from '../../src/outbox/snapshot.js';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

/** Registers the worker; its endpoint and project go in the script URL (the token never does). */
export async function registerDemoWorker(config: { url: string; projectId: string }): Promise<ServiceWorkerRegistration | Error> {
  if (!('serviceWorker' in navigator)) return new Error('this browser has no service workers (or the page is not on a secure origin)');
  const script = `/sw.js?${new URLSearchParams({ endpoint: config.url, projectId: config.projectId })}`;
  try {
    return await navigator.serviceWorker.register(script, { scope: '/' });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The role line of this mode (with no worker registered, the tabs send as in tabs mode). */
export function workerRoleText(role: OutboxRole, registration: ServiceWorkerRegistration | Error): string {
  if (role === 'leader') return 'No service worker sends yet: this tab sends the queue.';
  if (role === 'single') return 'Working as a single tab.';
  return registration instanceof Error
    ? 'Another tab sends; this one follows every outcome.'
    : 'The service worker sends the queue, also after this tab is closed; this tab stores records and shows every outcome.';
}

function showWorkerState(registration: ServiceWorkerRegistration | Error): void {
  const line = $('worker-state');
  if (registration instanceof Error) {
    line.textContent = `Service worker: not registered (${registration.message})`;
    return;
  }
  const update = () => {
    const worker = registration.active ?? registration.waiting ?? registration.installing;
    line.textContent = `Service worker: ${worker?.state ?? 'none'}`;
    document.body.dataset.worker = worker?.state ?? '';
  };
  const watch = (worker: ServiceWorker | null) => worker?.addEventListener('statechange', update);
  [registration.installing, registration.waiting, registration.active].forEach(watch);
  registration.addEventListener('updatefound', () => {
    watch(registration.installing);
    update();
  });
  update();
}

/** Polls what the mock service received: it goes on while no tab is open, and shows here on return. */
function showServiceCount(): void {
  const poll = async () => {
    try {
      const { ids } = (await (await fetch('/deliveries.json', { cache: 'no-store' })).json()) as { ids: string[] };
      $('count-service').textContent = String(ids.length);
    } catch {
      // The demo server stopped: the count stays as it was.
    }
  };
  void poll();
  setInterval(() => void poll(), 1500);
}

/** Shows the service-worker panel, and keeps it current. */
export function showWorkerMode(outbox: Outbox, registration: ServiceWorkerRegistration | Error): void {
  $('worker-panel').hidden = false;
  $('subtitle').textContent =
    'Resend application-group authorization emails through a flaky service. The console’s service worker sends the queue: close this tab while records wait, reopen it, and the service’s count has gone on.';
  document.body.dataset.sender = 'service-worker';
  outbox.on('coordination', ({ role, reason }) => {
    $('coordination').textContent = `Coordination: this tab is ${role}${reason ? ` (${reason})` : ''}`;
    document.body.dataset.coordination = role;
  });
  showWorkerState(registration);
  showServiceCount();
}
