// Attacks on "nothing acknowledged is lost" and "one process per store" with real child processes
// SIGKILLed at random moments while they enqueue and send against a real HTTP mock service.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/node.js';
import { startMockWorkspace } from '../../src/mock-server.js';

const REGISTER = fileURLToPath(new URL('../file-store/ts-loader/register.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./children/outbox-child.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function startChild(args: string[]) {
  const child = spawn(process.execPath, ['--import', REGISTER, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const waitFor = async (match: (l: string) => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!lines.some(match)) {
      if (Date.now() > end) throw new Error(`no matching line; got ${lines.slice(-5).join(' | ')}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 50)), exited]);
    }
  };
  return { child, lines, exited, waitFor, kill: async () => { child.kill('SIGKILL'); await exited; } };
}

describe('SIGKILL at random moments', () => {
  it('every acknowledged record is delivered after the kills; duplicates stay within the batches in flight', async () => {
    const mock = await startMockWorkspace({ latencyMs: 3, random: { seed: 11, faults: [{ probability: 0.15, fault: { status: 503 } }, { probability: 0.05, fault: { drop: true } }] } });
    const dir = mkdtempSync(join(tmpdir(), 'attack-kill-'));
    dirs.push(dir);
    const acked: string[] = [];
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const child = startChild([dir, mock.url, mock.projectId, mock.token, `k${round}`]);
      await child.waitFor((l) => l === 'OPEN' || l.startsWith('FAILED'));
      await new Promise((r) => setTimeout(r, 50 + Math.floor(Math.random() * 400)));
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
    const dir = mkdtempSync(join(tmpdir(), 'attack-owners-'));
    dirs.push(dir);
    const first = startChild([dir, mock.url, mock.projectId, mock.token, 'a']);
    await first.waitFor((l) => l === 'OPEN');
    const second = startChild([dir, mock.url, mock.projectId, mock.token, 'b']);
    await second.exited;
    expect(second.lines).toContain('FAILED StoreLockedError');
    await first.kill();
    // The dead owner's lock is taken over.
    const third = startChild([dir, mock.url, mock.projectId, mock.token, 'c']);
    await third.waitFor((l) => l === 'OPEN' || l.startsWith('FAILED'));
    expect(third.lines[0]).toBe('OPEN');
    await third.kill();
    await mock.close();
  }, 60_000);
});
