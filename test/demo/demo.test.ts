// `npm run demo`, the README's first command, as a newcomer runs it, but with its output going to
// a pipe (a CI log): it works through the faults and a restart, loses nothing, and says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LIMIT_MS = 60_000;

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runDemo(): Promise<DemoRun> {
  const started = Date.now();
  // The test runner's colour settings are not the user's: the demo decides from stdout alone.
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  // Its own process group, so a hung demo (npm, sh, node) can be stopped as a whole.
  const child = spawn('npm', ['run', 'demo'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<DemoRun>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`npm run demo still running after ${LIMIT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('npm run demo, its output on a pipe', () => {
  let run: DemoRun;
  beforeAll(async () => {
    run = await runDemo();
  }, LIMIT_MS + 5_000);

  it(`exits 0 within ${LIMIT_MS / 1000} s`, () => {
    // npm may add notices of its own on stderr; the demo itself writes nothing there.
    expect(run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm ')).join('\n')).toBe('');
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(LIMIT_MS);
  });

  it('shows the drain as plain progress lines, with no escape codes', () => {
    expect(run.stdout).toMatch(/^sent \d+\/300 · retrying \d+ · dead \d+ · pending \d+ · [\d.]+\/s$/m);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stderr).not.toContain('\x1b');
    expect(run.stdout).not.toContain('\r');
  });

  it('restarts halfway and the new outbox picks up the count where the first one stopped', () => {
    const restart = /^-- restart: the first outbox closed with (\d+) records still queued; a new one opens the same directory --$/m.exec(run.stdout);
    expect(restart).not.toBeNull();
    const left = Number(restart?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(300);
    const after = run.stdout.slice(run.stdout.indexOf(restart?.[0] ?? ''));
    expect(after).toMatch(new RegExp(`^sent \\d+/${left} · `, 'm'));
  });

  it('sums up: 298 delivered, 2 dead-lettered as rejected (the poison records), nothing pending, none lost', () => {
    expect(run.stdout).toMatch(/^ {2}sent +298$/m);
    expect(run.stdout).toMatch(/^ {2}dead-lettered +2$/m);
    expect(run.stdout).toMatch(/^ {2}pending +0$/m);
    expect(run.stdout).toMatch(/^ {2}requests +\d+$/m);
    expect(run.stdout).toMatch(/^ {2}dead-lettered id +reason +requests +last error$/m);
    expect(run.stdout).toMatch(/^ {2}mail-0042 +rejected +\d+ +400 WKS\.00131104/m);
    expect(run.stdout).toMatch(/^ {2}mail-0217 +rejected +\d+ +400 WKS\.00131104/m);
    expect(run.stdout).toContain('all 300 records accounted for: 298 delivered, 2 dead-lettered (the poison ones), none lost.');
  });

  it('leaves no temporary outbox directory behind', () => {
    const dir = /^outbox directory: (\S+) /m.exec(run.stdout)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir ?? '')).toBe(false);
  });
});
