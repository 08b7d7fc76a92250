// A host is one small `Coordinator`, never a branch in the engine: here two outboxes over one
// store are made to act as one by a ten-line in-process host (the shape of the browser's tabs,
// without a browser), against the real mock service. The follower stores and forwards; the
// leader sends; every event reaches both; a follower's drain() ends on its own view of the
// store, also when the leader was never started, and when the follower takes over.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, type DrainSummary, type Outbox, type OutboxEventName } from '../../src/index.js';
import { startMockWorkspace, type MockWorkspace } from '../../src/mock-server.js';
import type { CoordinatedEngine, Coordinator } from '../../src/outbox/coordinator.js';
import { createEngine } from '../../src/outbox/outbox.js';
import { sleep } from '../helpers/sleep.js';

/**
 * Instances of one outbox in one process: events and commands go straight across. With
 * `outcomeLagMs`, the outcome events (`sent`, `failed`, `drained`) reach the others that much
 * later than the store shows the change, as a BroadcastChannel message can in a browser.
 */
class Bus {
  readonly members = new Set<CoordinatedEngine>();

  constructor(readonly outcomeLagMs = 0) {}

  /** `engine` becomes the sender (as the Web Lock would hand it over), and the others hear so. */
  elect(engine: CoordinatedEngine): void {
    engine.setRole('leader');
    for (const other of this.members) if (other !== engine) other.senderChanged();
  }

  member(role: 'leader' | 'follower'): Coordinator {
    let me: CoordinatedEngine | undefined;
    const others = () => [...this.members].filter((engine) => engine !== me);
    return {
      start: (engine) => {
        me = engine;
        this.members.add(engine);
        engine.setRole(role);
      },
      publish: (name, event) => {
        const late = this.outcomeLagMs > 0 && (name === 'sent' || name === 'failed' || name === 'drained');
        for (const other of others()) {
          void other.sync(); // a follower's view follows the sender's writes
          if (late) setTimeout(() => other.relay(name, event), this.outcomeLagMs);
          else other.relay(name, event);
        }
      },
      changed: () => others().forEach((other) => void other.sync()),
      forward: (command, reason) => others().forEach((other) => other.run(command, reason)),
      close: () => void this.members.delete(me as CoordinatedEngine),
    };
  }
}

const open: Outbox[] = [];
const mocks: MockWorkspace[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((outbox) => outbox.close().catch(() => undefined)));
  await Promise.all(mocks.splice(0).map((mock) => mock.close()));
});

async function pair(outcomeLagMs = 0): Promise<{ leader: Outbox; follower: Outbox; mock: MockWorkspace; bus: Bus }> {
  const mock = await startMockWorkspace();
  mocks.push(mock);
  const store = new MemoryStore();
  const bus = new Bus(outcomeLagMs);
  const options = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store, retry: { minDelayMs: 1, maxDelayMs: 5 } };
  const leader = createEngine(options, { makeStore: () => store, coordinator: bus.member('leader') });
  const follower = createEngine(options, { makeStore: () => store, coordinator: bus.member('follower') });
  open.push(leader, follower);
  return { leader, follower, mock, bus };
}

function heard(outbox: Outbox, names: OutboxEventName[]): string[] {
  const seen: string[] = [];
  for (const name of names) outbox.on(name, (event) => seen.push('record' in event ? `${name} ${event.record.id}` : name));
  return seen;
}

describe('a host made of one Coordinator', () => {
  it("a follower's drain() makes a leader that was never started send, and ends when its view holds nothing pending", async () => {
    const { follower, mock } = await pair();
    await follower.enqueue([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(mock.deliveredIds()).toEqual([]); // nobody started the leader

    const summary: DrainSummary = await follower.drain();

    expect(summary).toEqual({ sent: 3, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(['a', 'b', 'c']);
  });

  it('every event of the sender reaches the follower, and the follower never sends', async () => {
    const { leader, follower, mock } = await pair();
    const followerHeard = heard(follower, ['sending', 'sent']);
    const sendingByFollower: string[] = [];
    follower.on('sending', () => sendingByFollower.push('relayed'));
    await follower.enqueue([{ id: 'x' }]);
    await leader.drain();

    expect(followerHeard).toEqual(['sending', 'sent x']);
    expect(mock.requests.filter((request) => request.path.endsWith('/mails/actions/send'))).toHaveLength(1);
    expect(sendingByFollower).toEqual(['relayed']);
  });

  it("a follower's pause() pauses the sender, and both know why; the follower's drain() then resolves at once", async () => {
    const { leader, follower } = await pair();
    follower.pause('offline');
    expect(leader.pausedReason).toBe('offline');
    expect(follower.pausedReason).toBe('offline');
    await follower.enqueue([{ id: 'held' }]);
    expect(await follower.drain()).toEqual({ sent: 0, failed: 0, pending: 1 });

    follower.resume();
    expect(leader.pausedReason).toBeUndefined();
    expect(await follower.drain()).toMatchObject({ sent: 1, pending: 0 });
  });

  it('a drain waiting on a follower is finished by that follower when it becomes the sender', async () => {
    const { leader, follower, mock, bus } = await pair();
    await follower.enqueue([{ id: 'late-1' }, { id: 'late-2' }]); // the leader, never started, sends nothing
    await leader.close(); // the sender goes away (a tab closed)

    let settled = false;
    const draining = follower.drain().finally(() => (settled = true));
    await sleep(20);
    expect(settled).toBe(false); // nobody sends: the drain waits (it used to wait for ever)
    expect(mock.deliveredIds()).toEqual([]);

    const [survivor] = [...bus.members];
    bus.elect(survivor as CoordinatedEngine);

    expect(await draining).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(['late-1', 'late-2']);
  });

  it("a follower's drain() counts what the sender did even when the store shows it before the outcome events arrive", async () => {
    const { follower, mock } = await pair(50);
    await follower.enqueue([{ id: 'p' }, { id: 'q' }]);

    expect(await follower.drain()).toEqual({ sent: 2, failed: 0, pending: 0 });
    expect(mock.deliveredIds().sort()).toEqual(['p', 'q']);
  });

  it('a drain waiting on a follower is handed to a new sender that was never started', async () => {
    const mock = await startMockWorkspace();
    mocks.push(mock);
    const store = new MemoryStore();
    const bus = new Bus();
    const options = { endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, store };
    const first = createEngine(options, { makeStore: () => store, coordinator: bus.member('leader') });
    const second = createEngine(options, { makeStore: () => store, coordinator: bus.member('follower') });
    const third = createEngine(options, { makeStore: () => store, coordinator: bus.member('follower') });
    open.push(first, second, third);
    const [, secondEngine] = [...bus.members];
    await third.enqueue([{ id: 'handed-over' }]);
    await first.close(); // the sender goes away before anyone drained

    const draining = third.drain(); // asks for a drain: nobody sends
    await sleep(20);
    expect(mock.deliveredIds()).toEqual([]);
    bus.elect(secondEngine as CoordinatedEngine); // never started: it sends only because third's drain is handed to it

    expect(await draining).toEqual({ sent: 1, failed: 0, pending: 0 });
    expect(mock.deliveredIds()).toEqual(['handed-over']);
  });

  it("the public outbox carries none of the host's controls", async () => {
    const { leader } = await pair();
    const controls = ['setRole', 'syncFromStore', 'emitRelayed', 'runForwarded', 'relay', 'run', 'sync', 'senderChanged', 'role'];
    const exposed = controls.filter((name) => name in leader);
    expect(exposed).toEqual([]);
  });
});
