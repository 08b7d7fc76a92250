// @vitest-environment happy-dom
// Where BroadcastChannel or Web Locks are missing, the browser entry imports and creates without
// throwing, works as a single tab (it sends), and says so once through a `coordination` event.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEvents } from '../../src/index.js';
import { deleteDatabase, uniqueName, useBrowserOutboxes } from '../helpers/browser-outboxes.js';
import { collect } from '../helpers/outbox-events.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { until } from '../helpers/until.js';
import { installWebLocks } from '../helpers/web-locks.js';

const { startMock, open } = useBrowserOutboxes();

const restores: Array<() => void> = [];
afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore();
});

function removeGlobal(name: 'BroadcastChannel'): void {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
  delete (globalThis as Record<string, unknown>)[name];
  restores.push(() => {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
  });
}

function removeWebLocks(): void {
  // happy-dom's navigator.locks is null already; make it absent the way older browsers have it.
  Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
  restores.push(() => delete (navigator as { locks?: unknown }).locks);
}

async function importBrowserEntry(): Promise<typeof import('../../src/browser.js')> {
  vi.resetModules();
  return import('../../src/browser.js');
}

type Coordination = OutboxEvents['coordination'];

describe.each([
  {
    missing: 'BroadcastChannel',
    remove: () => {
      restores.push(installWebLocks());
      removeGlobal('BroadcastChannel');
    },
  },
  { missing: 'Web Locks', remove: () => removeWebLocks() },
  {
    missing: 'BroadcastChannel and Web Locks',
    remove: () => {
      removeWebLocks();
      removeGlobal('BroadcastChannel');
    },
  },
])('without $missing', ({ missing, remove }) => {
  it('the browser entry imports and createOutbox returns without throwing', async () => {
    remove();
    const entry = await importBrowserEntry();
    const mock = await startMock();
    const name = uniqueName('no-throw');
    let outbox: ReturnType<typeof entry.createOutbox> | undefined;
    expect(() => {
      outbox = entry.createOutbox({ name, endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token } });
    }).not.toThrow();
    await outbox?.close();
    await deleteDatabase(`wks-mail-outbox:${name}`);
  });

  it('the outbox says once, through a coordination event, that it works as a single tab and why', async () => {
    remove();
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 5 });
    const roles = collect(outbox, 'coordination');
    const sent = collect(outbox, 'sent');

    await outbox.enqueue(makeRecords(12, 'single-'));
    await until(() => sent.length === 12, '12 sent events');
    await sleep(50);

    expect(roles).toHaveLength(1);
    const [event] = roles as [Coordination];
    expect(event.role).toBe('single');
    expect(event.reason).toEqual(expect.stringContaining(missing.split(' and ')[0] as string));
  });

  it('it sends as a single tab: every record reaches the service once', async () => {
    remove();
    const mock = await startMock();
    const outbox = open(mock, { batchSize: 5 });
    expect(outbox.getSnapshot().role).toBe('single');
    await outbox.enqueue(makeRecords(12, 'single-'));
    const summary = await outbox.drain();
    expect(summary).toEqual({ sent: 12, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(makeRecords(12, 'single-').map((record) => record.id));
  });
});
