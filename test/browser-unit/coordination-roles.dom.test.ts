// @vitest-environment happy-dom
// Two outboxes of one name in one page stand in for two tabs: Web Locks (an in-process
// LockManager, since happy-dom has none) elects the sender, BroadcastChannel (Node's, which
// delivers between instances in one process) carries writes and events. Each role change is a
// `coordination` event.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEvents } from '../../src/index.js';
import { uniqueName, useBrowserOutboxes } from '../helpers/browser-outboxes.js';
import { collect } from '../helpers/outbox-events.js';
import { makeRecords } from '../helpers/records.js';
import { sleep } from '../helpers/sleep.js';
import { until } from '../helpers/until.js';
import { installWebLocks } from '../helpers/web-locks.js';

const { startMock, open } = useBrowserOutboxes();

let removeLocks: () => void;
beforeEach(() => {
  removeLocks = installWebLocks();
});
afterEach(() => removeLocks());

type Coordination = OutboxEvents['coordination'];

describe('coordination roles', () => {
  it('the first outbox of a name becomes leader and says so through a coordination event', async () => {
    const mock = await startMock();
    const first = open(mock, { name: uniqueName('roles') });
    const roles = collect(first, 'coordination');
    await until(() => roles.length > 0, 'a coordination event');
    expect(roles).toEqual<Coordination[]>([{ role: 'leader' }]);
    expect(first.getSnapshot().role).toBe('leader');
  });

  it('a second outbox of the same name is a follower, and becomes leader (with an event) when the first closes', async () => {
    const mock = await startMock();
    const name = uniqueName('takeover');
    const first = open(mock, { name });
    const firstRoles = collect(first, 'coordination');
    await until(() => firstRoles.length > 0, 'the first outbox to lead');
    const second = open(mock, { name });
    const secondRoles = collect(second, 'coordination');
    await sleep(50);
    expect(second.getSnapshot().role).toBe('follower');
    expect(secondRoles.filter((event) => event.role === 'leader')).toEqual([]);

    await first.close();
    await until(() => secondRoles.some((event) => event.role === 'leader'), 'the second outbox to take over');
    expect(secondRoles.at(-1)).toEqual<Coordination>({ role: 'leader' });
    expect(second.getSnapshot().role).toBe('leader');
  });

  it("a follower's records are sent by the leader, once, and the follower sees every sent event", async () => {
    const mock = await startMock();
    const name = uniqueName('relay');
    const leader = open(mock, { name, batchSize: 10 });
    const leaderRoles = collect(leader, 'coordination');
    await until(() => leaderRoles.length > 0, 'the leader to be elected');
    const follower = open(mock, { name, batchSize: 10 });
    const followerSent = collect(follower, 'sent');
    const leaderSent = collect(leader, 'sent');
    const records = makeRecords(25, 'from-follower-');

    await follower.enqueue(records);
    await until(() => followerSent.length === 25, '25 sent events in the follower');

    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id));
    expect(leaderSent.map((event) => event.record.id).sort()).toEqual(records.map((record) => record.id));
    expect(followerSent.map((event) => event.record.id).sort()).toEqual(records.map((record) => record.id));
    // The follower's picture of the queue follows from the store, shortly after the events.
    await until(() => follower.getSnapshot().counts.total === 0, "the follower's snapshot to empty");
  });

  it('after a takeover the new leader sends what the old one left and what is enqueued next', async () => {
    const mock = await startMock();
    const name = uniqueName('after-takeover');
    const first = open(mock, { name, autoStart: false });
    const roles = collect(first, 'coordination');
    await until(() => roles.length > 0, 'the first outbox to lead');
    await first.enqueue(makeRecords(5, 'left-'));
    const second = open(mock, { name });
    await first.close();
    const sent = collect(second, 'sent');
    await second.enqueue(makeRecords(5, 'next-'));
    await until(() => sent.length === 10, '10 sent events in the new leader');
    expect(mock.deliveredIds().sort()).toEqual([...makeRecords(5, 'left-'), ...makeRecords(5, 'next-')].map((record) => record.id));
  });
});
