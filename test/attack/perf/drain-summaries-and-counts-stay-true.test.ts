// Attack on the pending count kept incrementally (src/outbox/queue-state.ts) and on drain():
// seeded sequences of enqueue / drain / flush / requeue / purge / close + reopen over a FileStore,
// against the mock with poison ids and 503s. After every drain or flush, the README's numbers
// must agree: the summary's `pending` with pending(), `sent`/`failed` with the events of that
// drain, getSnapshot() and stats() with pending() and dead(). And a drain must end once nothing
// is pending ("until nothing is pending … or the outbox pauses"), also when that happens by purge.
import { describe, expect, it } from 'vitest';
import { FileStore, type DrainSummary, type Outbox } from '../../../src/node.js';
import { mulberry32 } from '../../../src/mock/faults.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { useMocks } from '../../helpers/mock-service.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { until } from '../../helpers/until.js';
import { within } from '../../helpers/within.js';
import { outboxOver } from './perf-helpers.js';

const tempDir = useTempDirs();
const startMock = useMocks();

/** Counts the per-record events an outbox announces. */
function countEvents(outbox: Outbox): { sent: number; failed: number } {
  const counts = { sent: 0, failed: 0 };
  outbox.on('sent', () => counts.sent++);
  outbox.on('failed', () => counts.failed++);
  return counts;
}

async function expectCountsAgree(outbox: Outbox, summary: DrainSummary, what: string): Promise<void> {
  const pending = (await outbox.pending()).length;
  const dead = (await outbox.dead()).length;
  const { counts } = outbox.getSnapshot();
  expect({ summary: summary.pending, snapshot: counts.pending + counts.retrying + counts.sending, stats: outbox.stats().pending }, what).toEqual({
    summary: pending,
    snapshot: pending,
    stats: pending,
  });
  expect({ snapshot: counts.dead, stats: outbox.stats().dead, total: counts.total }, what).toEqual({ snapshot: dead, stats: dead, total: pending + dead });
}

describe('drain summaries, snapshot and stats over random sequences', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: every drain/flush summary matches its events and the queue`, { timeout: 60_000 }, async () => {
      const random = mulberry32(seed);
      const mock = await startMock({ poisonIds: ['p-1', 'p-2'], random: { seed, faults: [{ probability: 0.25, fault: { status: 503, retryAfter: 0 } }] } });
      const dir = await tempDir('counts');
      let store = new FileStore({ dir, compactSlack: 5 });
      const options = { batchSize: 1 + (seed % 4), concurrency: 1 + (seed % 2) };
      let outbox = outboxOver(mock, store, undefined, options);
      let events = countEvents(outbox);
      try {
        for (let step = 0; step < 60; step++) {
          const draw = random();
          const id = () => (random() < 0.1 ? `p-${1 + Math.floor(random() * 2)}` : `r-${Math.floor(random() * 12)}`);
          if (draw < 0.35) {
            await outbox.enqueue(Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({ id: id() })));
          } else if (draw < 0.6 || draw >= 0.9) {
            const before = { ...events };
            const summary = await within(draw < 0.6 ? outbox.drain() : outbox.flush(), `step ${step}: drain/flush`);
            expect({ sent: summary.sent, failed: summary.failed }, `step ${step}`).toEqual({ sent: events.sent - before.sent, failed: events.failed - before.failed });
            expect(summary.pending, `step ${step}: nothing pending after a drain that did not pause`).toBe(0);
            await expectCountsAgree(outbox, summary, `step ${step}`);
          } else if (draw < 0.7) {
            await outbox.requeue(random() < 0.5 ? undefined : [id()]);
          } else if (draw < 0.8) {
            await outbox.purge(random() < 0.5 ? undefined : [id(), id()]);
          } else {
            await outbox.close();
            await store.close();
            store = new FileStore({ dir, compactSlack: 5 });
            outbox = outboxOver(mock, store, undefined, options);
            events = countEvents(outbox);
          }
        }
        const summary = await within(outbox.drain(), 'the last drain');
        await expectCountsAgree(outbox, summary, 'at the end');
      } finally {
        await outbox.close().catch(() => undefined);
        await store.close();
      }
    });
  }
});

describe('a drain waiting through backoff', () => {
  /** Records a and b answered 503 with `Retry-After: 60`, and a drain waiting for them on a clock that does not move. */
  async function drainInBackoff(label: string) {
    const mock = await startMock({ faults: [{ status: 503, retryAfter: 60 }] });
    const clock = new ManualClock();
    const store = new FileStore({ dir: await tempDir(label) });
    const outbox = outboxOver(mock, store, clock.now);
    let retrying = 0;
    outbox.on('retrying', () => retrying++);
    await outbox.enqueue([{ id: 'a' }, { id: 'b' }]);
    const drained = outbox.drain();
    await until(() => retrying === 2, 'the 503 and its retrying events');
    const close = async () => {
      await within(outbox.close(), 'close', 5_000).catch(() => undefined);
      await store.close();
    };
    return { mock, outbox, drained, close };
  }

  it('ends once purge() removed everything pending (it must not wait out a 60 s Retry-After first)', async () => {
    const { mock, outbox, drained, close } = await drainInBackoff('purge-wait');
    try {
      expect(await outbox.purge(['a', 'b'])).toBe(2);
      // The clock does not move: the drain's only way to end is to notice nothing is pending.
      const summary = await within(drained, 'a drain after everything pending was purged', 5_000);
      expect(summary).toEqual({ sent: 0, failed: 0, pending: 0 });
      expect(mock.deliveredIds()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('ends at once on flush(), which sends what waited (holds)', async () => {
    const { outbox, drained, close } = await drainInBackoff('flush-wait');
    try {
      const flushed = await within(outbox.flush(), 'flush');
      expect(flushed).toEqual({ sent: 2, failed: 0, pending: 0 });
      expect(await within(drained, 'the drain')).toEqual({ sent: 2, failed: 0, pending: 0 });
      expect(outbox.getSnapshot().counts).toEqual({ pending: 0, sending: 0, retrying: 0, dead: 0, total: 0 });
    } finally {
      await close();
    }
  });
});
