// The queue keeps its count of durable pending entries as it changes (the runner reads it after
// every batch; counting the whole queue each time made a drain quadratic in the queue's size).
// Any sequence of changes leaves the count equal to what a full count gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueState } from '../../src/outbox/queue-state.js';
import { StoredTimes } from '../../src/outbox/stored-times.js';
import type { OutboxEntry } from '../../src/index.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const times = new StoredTimes({ now: () => 1_000 }, { maxDelayMs: 60_000, maxRetryAfterMs: 60_000 });

const entry = (id: number, seq: number, state: 'pending' | 'dead' = 'pending'): OutboxEntry => ({
  key: `${PROJECT}:${id}`,
  record: { id: String(id) },
  projectId: PROJECT,
  seq,
  enqueuedAt: 0,
  attempts: 0,
  nextAttemptAt: 0,
  state,
});

const id = fc.integer({ min: 0, max: 7 });
const ids = fc.array(id, { maxLength: 5 });
const operation = fc.oneof(
  fc.record({ op: fc.constant('reserve' as const), ids }),
  fc.record({ op: fc.constant('markDurable' as const), ids }),
  fc.record({ op: fc.constant('restore' as const), ids, dead: fc.boolean() }),
  fc.record({ op: fc.constant('bury' as const), id }),
  fc.record({ op: fc.constant('remove' as const), ids }),
  fc.record({ op: fc.constant('claim' as const), size: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('release' as const), ids }),
  fc.record({ op: fc.constant('sync' as const), ids, dead: fc.boolean() }),
);

describe('QueueState.pendingCount', () => {
  it('equals the number of durable pending entries after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 6 }), fc.array(operation, { maxLength: 30 }), (initial, operations) => {
        const state = new QueueState(times);
        let seq = 1;
        state.load([...new Set(initial)].map((n) => entry(n, seq++)));
        for (const step of operations) {
          const keys = 'ids' in step ? step.ids.map((n) => `${PROJECT}:${n}`) : [];
          if (step.op === 'reserve') state.reserve([...new Set(step.ids)].map((n) => entry(n, seq++)));
          if (step.op === 'markDurable') state.markDurable(keys);
          if (step.op === 'restore') state.restore(step.ids.map((n) => entry(n, seq++, step.dead ? 'dead' : 'pending')));
          if (step.op === 'bury') {
            const pending = state.pendingEntry(`${PROJECT}:${step.id}`);
            if (pending) state.bury({ ...pending, state: 'dead' });
          }
          if (step.op === 'remove') state.remove(keys);
          if (step.op === 'claim') state.claimBatch(1_000, step.size, 1e9);
          if (step.op === 'release') state.release(keys);
          if (step.op === 'sync') state.sync([...new Set(step.ids)].map((n) => entry(n, seq++, step.dead ? 'dead' : 'pending')), state.beginSync());
          expect(state.pendingCount).toBe(state.pendingEntries().length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
