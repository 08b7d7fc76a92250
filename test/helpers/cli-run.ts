// The CLI as a user runs it: a real child process (`node --import tsx src/cli.ts …`), here
// against a mock service started in the test process. Children are slow to start (~1 s of CPU
// each), so CLI test files run their scenarios concurrently.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { MockWorkspace } from '../../src/mock-server.js';
import { repoRoot } from './repo-root.js';

/** Longest a CLI child may run before the test calls it hung. */
const CHILD_TIMEOUT_MS = 45_000;

/** How a CLI run ended and what it printed. */
export interface CliRun {
  /** Exit code (`null` only if a signal ended it). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** What a CLI run gets besides its arguments. */
export interface RunOptions {
  /**
   * The child's credentials and other variables. The child gets only these (plus PATH, HOME and
   * the temp dir), never the test process's environment: a developer's real HUAWEICLOUD_* must
   * not leak into a test, and "no credentials" must really mean none.
   */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. Without it stdin is an empty pipe. */
  stdin?: string;
  /** Longest the child may run before the test calls it hung. @default CHILD_TIMEOUT_MS */
  timeoutMs?: number;
}

/** Runs `wks-mail-outbox …args` (src/cli.ts through tsx) and resolves when it has exited. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const started = Date.now();
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir(), ...options.env };
  if (process.env.HOME) env.HOME = process.env.HOME;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A child that exits before reading its stdin must not fail the test with EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  const timeoutMs = options.timeoutMs ?? CHILD_TIMEOUT_MS;
  return new Promise<CliRun>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wks-mail-outbox ${args.join(' ')}: still running after ${timeoutMs} ms\nstdout:\n${stdout.slice(0, 2000)}\nstderr:\n${stderr.slice(0, 2000)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Every non-empty stdout line parsed as JSON; throws naming the first line that is not. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        const value: unknown = JSON.parse(line);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        return value as Record<string, unknown>;
      } catch (error) {
        throw new Error(`stdout line ${index + 1} is not a JSON object (${(error as Error).message}): ${line}`);
      }
    });
}

/** `--endpoint … --project … --dir …` for a mock and an outbox directory. */
export function serviceArgs(mock: MockWorkspace, dir: string): string[] {
  return ['--endpoint', mock.url, '--project', mock.projectId, '--dir', dir];
}

/** The env of a child that authenticates with the mock's token. */
export function tokenEnv(mock: MockWorkspace): Record<string, string> {
  return { HUAWEICLOUD_AUTH_TOKEN: mock.token };
}

/** The ESC character that starts every ANSI escape sequence. */
export const ESC = '\x1b';
