// The CLI as a user runs it: a real child process (`node --import tsx src/cli.ts …`) against the
// mock service started in the test process, with a fresh outbox directory per scenario.
// Children are slow to start (~1 s of CPU each), so files run their scenarios concurrently.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { startMockWorkspace, type MockRequest, type MockWorkspace, type MockWorkspaceOptions } from '../../src/mock-server.js';
import { createOutbox, FileStore } from '../../src/node.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Longest a CLI child may run before the test calls it hung. */
const CHILD_TIMEOUT_MS = 45_000;

export interface CliRun {
  /** Exit code (`null` only if a signal ended it). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

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

/**
 * Mocks and temporary directories of a test file, closed and removed after the file. Mocks are
 * started per scenario so that what one mock received belongs to one run of the CLI.
 */
export function useCliFixtures(): {
  startMock: (options?: MockWorkspaceOptions) => Promise<MockWorkspace>;
  tempDir: () => Promise<string>;
} {
  const mocks: MockWorkspace[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.allSettled(mocks.splice(0).map((mock) => mock.close()));
    await Promise.allSettled(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    startMock: async (options) => {
      const mock = await startMockWorkspace(options);
      mocks.push(mock);
      return mock;
    },
    tempDir: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wks-mail-outbox-cli-test-'));
      dirs.push(dir);
      return dir;
    },
  };
}

/** `--endpoint … --project … --dir …` for a mock and an outbox directory. */
export function serviceArgs(mock: MockWorkspace, dir: string): string[] {
  return ['--endpoint', mock.url, '--project', mock.projectId, '--dir', dir];
}

/** The env of a child that authenticates with the mock's token. */
export function tokenEnv(mock: MockWorkspace): Record<string, string> {
  return { HUAWEICLOUD_AUTH_TOKEN: mock.token };
}

/** Records `{ id, account }` with ids `prefix-0 … prefix-(count-1)`. */
export function makeRecords(count: number, prefix: string): Array<{ id: string; account: string }> {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index}`, account: `user-${index}` }));
}

/** The send requests a mock received (list calls and others left out). */
export function sendRequests(mock: MockWorkspace): MockRequest[] {
  return mock.requests.filter((request) => request.api === 'send');
}

/**
 * Fills an outbox directory the way earlier runs would have: `dead` ids dead-lettered (the
 * service refused them) and `pending` ids queued but not sent yet. Done in this process with
 * the library itself, against a mock of its own (of project `projectId`, so that a later run
 * against another mock of that project can send them).
 */
export async function seedOutbox(
  dir: string,
  { dead = [], pending = [], projectId }: { dead?: string[]; pending?: string[]; projectId?: string },
): Promise<void> {
  const mock = await startMockWorkspace({ poisonIds: dead, ...(projectId ? { projectId } : {}) });
  const outbox = createOutbox({ endpoint: mock.url, projectId: mock.projectId, auth: { token: mock.token }, dir, retry: { minDelayMs: 10, jitter: 0 } });
  try {
    if (dead.length > 0) {
      await outbox.enqueue(dead.map((id) => ({ id })));
      const summary = await outbox.drain();
      if (summary.failed !== dead.length) throw new Error(`seeding: expected ${dead.length} dead letters, got ${summary.failed}`);
    }
    // Not started and not drained: these stay queued.
    if (pending.length > 0) await outbox.enqueue(pending.map((id) => ({ id })));
  } finally {
    await outbox.close();
    await mock.close();
  }
}

/** The ids the outbox directory holds, pending and dead-lettered (read with the FileStore). */
export async function queueContents(dir: string): Promise<{ pending: string[]; dead: string[] }> {
  const store = new FileStore({ dir });
  try {
    const { entries } = await store.load();
    const ids = (state: 'pending' | 'dead') =>
      entries
        .filter((entry) => entry.state === state)
        .map((entry) => entry.record.id)
        .sort();
    return { pending: ids('pending'), dead: ids('dead') };
  } finally {
    await store.close();
  }
}

/** The text of every file under `dir` (recursively), by relative path. */
export async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'latin1'));
  }
  return files;
}

/** The ESC character that starts every ANSI escape sequence. */
export const ESC = '\x1b';
