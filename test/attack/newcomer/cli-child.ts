// The CLI as a live child process whose stdin, stdout and signals a test drives while it runs
// (runCli only hands back the end). Same command line and bare environment as runCli.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../helpers/repo-root.js';
import { until } from '../../helpers/until.js';

/** A running CLI child. */
export interface LiveCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr (as chosen) holds `text`. */
  waitFor(text: string | RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  /** Resolves when the child exited; SIGKILLs it and rejects after `timeoutMs` (a hang). */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `wks-mail-outbox …args`; stdin stays open unless `stdin` is given (then written and closed). */
export function startCli(args: readonly string[], env: Record<string, string> = {}, stdin?: string): LiveCli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir(), ...(process.env.HOME ? { HOME: process.env.HOME } : {}), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin.on('error', () => undefined);
  if (stdin !== undefined) child.stdin.end(stdin);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const read = (stream: 'stdout' | 'stderr') => (stream === 'stdout' ? out : err);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(text, stream = 'stdout', timeoutMs = 30_000) {
      const found = () => (typeof text === 'string' ? read(stream).includes(text) : text.test(read(stream)));
      await until(found, `${String(text)} on the CLI's ${stream}`, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}\nstdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`);
      });
    },
    async exited(timeoutMs = 45_000) {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the CLI did not exit within ${timeoutMs} ms\nstdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([closed, hung]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
