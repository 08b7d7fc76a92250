// The crash test of the Node store: a real child process (children/crash-outbox.ts) enqueues
// and drains through createOutbox + FileStore against the mock service (seeded 503s with
// Retry-After 0, 500s, dropped connections), and is SIGKILLed at seeded random moments (some
// while a compaction is running), then restarted over the same directory, again and again,
// before a last run drains to the end. Promises checked:
//   - the store always opens again (the killed child's lock is taken over);
//   - every acknowledged record is delivered at least once;
//   - a record is delivered twice only if a kill came between its delivery and the next one
//     (its batch was in flight), and there are at most kills × batchSize such records;
//   - at the end nothing is pending.
// Reproduce a run with WKS_CRASH_SEED=<seed>.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node.js';
import { startMockWorkspace, type MockWorkspace } from '../../src/mock-server.js';
import { mulberry32 as seededRandom } from '../../src/mock/faults.js';
import { spawnTs, type TsChild } from '../helpers/spawn-ts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const CRASH_OUTBOX = new URL('./children/crash-outbox.ts', import.meta.url);
const SEED = Number(process.env.WKS_CRASH_SEED ?? 20_240_501);
const KILLS = 32;
const PER_CHILD = 30;
const BATCH_SIZE = 5;
const COMPACT_SLACK = 20;
const BUDGET_MS = 90_000; // a guard against a hang; a run takes about 25 s

const tempDir = useTempDirs();
const live: TsChild[] = [];
let mock: MockWorkspace | undefined;
afterAll(async () => {
  await Promise.all(live.map((child) => child.kill()));
  await mock?.close();
});

type Trigger = { kind: 'timer'; ms: number } | { kind: 'ack'; count: number } | { kind: 'sent'; count: number } | { kind: 'compaction' };

function pickTrigger(random: () => number): Trigger {
  const draw = random();
  if (draw < 0.3) return { kind: 'timer', ms: 50 + Math.floor(random() * 1_000) };
  if (draw < 0.5) return { kind: 'ack', count: 1 + Math.floor(random() * PER_CHILD) };
  if (draw < 0.7) return { kind: 'sent', count: 1 + Math.floor(random() * PER_CHILD) };
  return { kind: 'compaction' };
}

describe('a FileStore outbox killed with SIGKILL at random moments', () => {
  it('loses no acknowledged record, duplicates only batches in flight at a kill, and always opens again', { timeout: 150_000 }, async () => {
    const random = seededRandom(SEED);
    mock = await startMockWorkspace({
      latencyMs: 2,
      random: {
        seed: SEED,
        faults: [
          { probability: 0.1, fault: { status: 503, retryAfter: 0 } },
          { probability: 0.08, fault: { status: 500 } },
          { probability: 0.07, fault: { drop: true } },
        ],
      },
    });
    const dir = await tempDir('crash');
    const tmp = join(dir, 'journal.jsonl.tmp');
    const started = new Set<string>();
    const acked = new Set<string>();
    const killTimes: number[] = [];
    const killKinds: Record<Trigger['kind'], number> = { timer: 0, ack: 0, sent: 0, compaction: 0 };
    let killsLeavingTempFile = 0;
    let opened = 0;
    let killedBeforeOpening = 0;
    const problems: string[] = [];
    const selfExits: string[] = [];
    let next = 0;
    let spawned = 0;
    const begin = Date.now();

    const startChild = (): TsChild => {
      const child = spawnTs(CRASH_OUTBOX, [
        JSON.stringify({
          url: mock?.url, projectId: mock?.projectId, token: mock?.token, dir, prefix: 'rec-',
          from: next, to: next + PER_CHILD, seed: Math.floor(random() * 2 ** 31), groupMax: 4,
          batchSize: BATCH_SIZE, compactSlack: COMPACT_SLACK,
        }),
      ]);
      live.push(child);
      spawned++;
      child.onLine((line) => {
        const [word, rest = ''] = line.split(' ', 2) as [string, string?];
        if (word === 'OPENED') opened++;
        else if (word === 'ENQ') {
          started.add(rest);
          next = Math.max(next, Number(rest.slice('rec-'.length)) + 1);
        } else if (word === 'ACK') acked.add(rest);
        else if (word === 'PROBLEM') problems.push(line.slice('PROBLEM '.length));
      });
      return child;
    };

    while (killTimes.length < KILLS) {
      expect(Date.now() - begin, `time budget spent after ${killTimes.length} kills`).toBeLessThan(BUDGET_MS);
      const child = startChild();
      const trigger = pickTrigger(random);
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const fired = new Promise<'fire'>((resolve) => {
        if (trigger.kind === 'timer') timer = setTimeout(() => resolve('fire'), trigger.ms);
        if (trigger.kind === 'ack' || trigger.kind === 'sent') {
          const word = trigger.kind === 'ack' ? 'ACK ' : 'SENT ';
          let seen = 0;
          child.onLine((line) => {
            if (line.startsWith(word) && ++seen === trigger.count) resolve('fire');
          });
        }
        if (trigger.kind === 'compaction') {
          // The temp file appears when a compaction starts; kill at once, in the middle of it.
          watcher = watch(dir, (_event, name) => {
            const running = child.lines.some((line) => line.startsWith('OPENED '));
            if (name === 'journal.jsonl.tmp' && running && existsSync(tmp)) resolve('fire');
          });
        }
      });
      const outcome = await Promise.race([fired, child.exited.then(() => 'exited' as const)]);
      watcher?.close();
      clearTimeout(timer);
      if (outcome === 'fire') {
        await child.kill();
        killTimes.push(Date.now());
        killKinds[trigger.kind]++;
        if (existsSync(tmp)) killsLeavingTempFile++;
        if (!child.lines.some((line) => line.startsWith('OPENED '))) killedBeforeOpening++;
      }
      const { code, signal } = await child.exited;
      if (signal !== 'SIGKILL' && code !== 0) selfExits.push(`exit ${code}: ${child.lines.slice(-3).join(' | ')} ${child.stderr().slice(-500)}`);
      live.splice(live.indexOf(child), 1);
    }

    // The last run is not killed: it enqueues its share and drains everything.
    const last = startChild();
    const { code } = await last.exited;
    live.splice(live.indexOf(last), 1);
    expect(code, `last run: ${last.lines.slice(-5).join(' | ')} ${last.stderr()}`).toBe(0);
    expect(last.lines.at(-1)).toBe('DONE 0');

    expect(selfExits, 'children that ended on their own with an error (OPEN-FAILED is exit 3)').toEqual([]);
    expect(opened + killedBeforeOpening, 'children that either opened the store or were killed before they could').toBe(spawned);
    expect(killTimes.length).toBeGreaterThanOrEqual(30);
    expect(killKinds.compaction, `kills triggered by a compaction starting (${JSON.stringify(killKinds)})`).toBeGreaterThanOrEqual(3);
    expect(killsLeavingTempFile, 'kills that left a half-done compaction (journal.jsonl.tmp) behind').toBeGreaterThanOrEqual(1);
    // A kill can tear the last append, nothing else: no line in the middle is ever corrupt.
    expect(problems.filter((problem) => !/torn/.test(problem)), 'errors reported by the restarted outboxes, other than a torn tail').toEqual([]);

    const delivered = mock.deliveredIds();
    const deliveries = new Map<string, number[]>();
    for (const request of mock.requests) {
      if (request.api !== 'send' || request.status !== 200 || request.fault !== undefined) continue;
      for (const record of request.records ?? []) deliveries.set(record.id, [...(deliveries.get(record.id) ?? []), request.at]);
    }
    const deliveredSet = new Set(delivered);
    const lost = [...acked].filter((id) => !deliveredSet.has(id));
    expect(lost, `acknowledged but never delivered (seed ${SEED})`).toEqual([]);
    expect(delivered.filter((id) => !started.has(id)), 'delivered but never enqueued').toEqual([]);

    const duplicated = [...deliveries].filter(([, times]) => times.length > 1);
    expect(duplicated.length, `ids delivered more than once (seed ${SEED})`).toBeLessThanOrEqual(killTimes.length * BATCH_SIZE);
    for (const [id, times] of duplicated) {
      for (let index = 1; index < times.length; index++) {
        const [before, after] = [times[index - 1] as number, times[index] as number];
        const killBetween = killTimes.some((killedAt) => killedAt >= before && killedAt <= after);
        expect(killBetween, `${id} was delivered at ${before} and again at ${after} with no kill in between (seed ${SEED})`).toBe(true);
      }
    }

    const store = new FileStore({ dir });
    const contents = await store.load();
    await store.close();
    expect(contents.entries, 'entries left in the store at the end').toEqual([]);

    console.info(
      `crash test (seed ${SEED}): ${killTimes.length} kills ${JSON.stringify(killKinds)}, ${killsLeavingTempFile} mid-compaction (temp file left), ` +
        `${killedBeforeOpening} before the store opened; ${acked.size} acknowledged, ${started.size} enqueued, ${delivered.length} deliveries, ` +
        `${duplicated.length} ids delivered twice; ${problems.length} repairs reported; ${Date.now() - begin} ms`,
    );
  });
});
