// Attacks on "nothing acknowledged is lost" and "one process per store" with real child processes
// SIGKILLed at random moments while they enqueue and send against a real HTTP mock service.
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/node.js';
import { startMockWorkspace } from '../../src/mock-server.js';
import { sleep } from '../helpers/sleep.js';
import { spawnTs, type TsChild } from '../helpers/spawn-ts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const CHILD = new URL('./children/outbox-child.ts', import.meta.url);
const tempDir = useTempDirs();
const children: TsChild[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
});

function startChild(args: string[]): TsChild {
  const child = spawnTs(CHILD, args);
  children.push(child);
  return child;
}

describe('SIGKILL at random moments', () => {
  it('every acknowledged record is delivered after the kills; duplicates stay within the batches in flight', async () => {
    const mock = await startMockWorkspace({ latencyMs: 3, random: { seed: 11, faults: [{ probability: 0.15, fault: { status: 503 } }, { probability: 0.05, fault: { drop: true } }] } });
    const dir = await tempDir('attack-kill');
    const acked: string[] = [];
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const child = startChild([dir, mock.url, mock.projectId, mock.token, `k${round}`]);
      await child.waitForLine((l) => l === 'OPEN' || l.startsWith('FAILED'));
      await sleep(50 + Math.floor(Math.random() * 400));
      await child.kill();
      acked.push(...child.lines.filter((l) => l.startsWith('ACK ')).map((l) => l.slice(4)));
    }
    const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir, retry: { minDelayMs: 5, maxDelayMs: 20 } });
    mock.setRandom(undefined as never);
    await outbox.drain();
    await outbox.close();
    const delivered = mock.deliveredIds();
    const seen = new Set(delivered);
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.filter((id) => !seen.has(id))).toEqual([]);
    const counts = new Map<string, number>();
    for (const id of delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts.values()].filter((n) => n > 1).length;
    // A batch in flight at each kill (10 records), plus batches whose 200 was lost to a dropped connection.
    expect(twice).toBeLessThanOrEqual(rounds * 10 + 10 * mock.requests.length * 0.05 + 10);
    await mock.close();
  }, 60_000);

  it('a second process on the same directory is refused with StoreLockedError while the first lives', async () => {
    const mock = await startMockWorkspace();
    const dir = await tempDir('attack-owners');
    const first = startChild([dir, mock.url, mock.projectId, mock.token, 'a']);
    await first.waitForLine((l) => l === 'OPEN');
    const second = startChild([dir, mock.url, mock.projectId, mock.token, 'b']);
    await second.exited;
    expect(second.lines).toContain('FAILED StoreLockedError');
    await first.kill();
    // The dead owner's lock is taken over.
    const third = startChild([dir, mock.url, mock.projectId, mock.token, 'c']);
    await third.waitForLine((l) => l === 'OPEN' || l.startsWith('FAILED'));
    expect(third.lines[0]).toBe('OPEN');
    await third.kill();
    await mock.close();
  }, 60_000);
});
