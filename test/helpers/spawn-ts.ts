// Runs a TypeScript script of this repository in a real child process, through tsx
// (`node --import tsx <script>`), which strips the types and maps `./x.js` imports to `./x.ts`
// as vitest does in the test process.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from './repo-root.js';

/**
 * tsx's loader as a file URL: the child resolves nothing from its working directory, so it also
 * starts as another user or from another directory.
 */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A child process with its stdout as lines and a promise of its end. */
export interface TsChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Every stdout line so far, in order. */
  readonly lines: string[];
  /** Everything written to stderr so far. */
  readonly stderr: () => string;
  /** Resolves with the first stdout line that `match` accepts (also one already seen). Rejects if the child ends first. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Calls `listener` for every stdout line from now on. */
  onLine(listener: (line: string) => void): void;
  /** Resolves when the child has exited, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the child (if still running) and waits until it is gone. */
  kill(): Promise<void>;
}

/**
 * Whether a child running as `uid`/`gid` can load tsx and read `script`: not when the checkout
 * sits in a directory only its owner may enter (e.g. a `mktemp -d` folder, mode 0700).
 */
export function canSpawnTsAs(uid: number, gid: number, script: URL): boolean {
  const paths = [fileURLToPath(TSX), fileURLToPath(script)];
  const probe = spawnSync(process.execPath, ['-e', `for (const p of ${JSON.stringify(paths)}) require('node:fs').accessSync(p)`], { uid, gid, stdio: 'ignore' });
  return probe.status === 0;
}

/** How to start a child beyond its script and arguments. */
export interface SpawnTsOptions {
  /** Run as this user and group (the test process must be root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts `node --import tsx <script> …args`. `script` is a file URL, usually
 * `new URL('./children/x.ts', import.meta.url)` from the test file.
 */
export function spawnTs(script: URL, args: readonly string[] = [], options: SpawnTsOptions = {}): TsChild {
  const path = fileURLToPath(script);
  const name = path.slice(repoRoot.length + 1);
  const child = spawn(process.execPath, ['--import', TSX, path, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  const lines: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  let stderr = '';
  let ended = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const listener of [...listeners]) listener(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': every line the child wrote has been read by then.
    child.on('close', (code, signal) => {
      ended = true;
      resolve({ code, signal });
      for (const listener of [...listeners]) listener('');
    });
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);

  return {
    process: child,
    pid: child.pid,
    lines,
    stderr: () => stderr,
    exited,
    onLine: (listener) => void listeners.push(listener),
    waitForLine(match, timeoutMs = 15_000) {
      return new Promise<string>((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => finish(new Error(`${name}: no matching line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        const listener = (line: string) => {
          if (line !== '' && match(line)) finish(undefined, line);
          else if (ended) finish(new Error(`${name} ended before a matching line; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        };
        const finish = (error: Error | undefined, line?: string) => {
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(listener), 1);
          if (error) reject(error);
          else resolve(line as string);
        };
        listeners.push(listener);
        if (ended) listener('');
      });
    },
    async kill() {
      if (!ended) child.kill('SIGKILL');
      await exited;
    },
  };
}
