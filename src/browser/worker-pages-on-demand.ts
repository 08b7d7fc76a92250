// The pages' side of `sender: 'service-worker'`, loaded only by the pages that ask for it (a
// chunk of its own: the tabs' bundle does not carry it). Until it is loaded the page is a silent
// follower: it sends nothing, and what it is told meanwhile is passed on once it is there.
import type { CoordinatedEngine, Coordinator, ForwardedCommand } from '../outbox/coordinator.js';
import type { OutboxEventName, OutboxEvents, PauseReason } from '../outbox/events.js';
import type { HandToken } from './service-worker-pages.js';

export function serviceWorkerPages(name: string, handToken: HandToken | undefined): Coordinator {
  let engine: CoordinatedEngine | undefined;
  const loaded = import('./service-worker-pages.js').then(({ ServiceWorkerPages }) => {
    const pages = new ServiceWorkerPages(name, handToken);
    if (engine) pages.start(engine);
    return pages;
  });
  return {
    start(given) {
      engine = given;
      given.setRole('follower', undefined, false);
    },
    publish<E extends OutboxEventName>(event: E, payload: OutboxEvents[E]) {
      void loaded.then((pages) => pages.publish(event, payload));
    },
    changed: () => loaded.then((pages) => pages.changed()),
    forward(command: ForwardedCommand, reason?: PauseReason) {
      void loaded.then((pages) => pages.forward(command, reason));
    },
    close: () => loaded.then((pages) => pages.close()),
  };
}
