// The parent's handle on a mock Workspace service running in a child process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MockWorkspaceOptions } from '../../src/mock/types.js';

export interface MockStats {
  requests: number;
  byStatus: Record<string, number>;
  /** Record ids in sends the service answered 200, duplicates counted. */
  delivered: number;
  uniqueDelivered: number;
}

export interface MockProcess {
  url: string;
  projectId: string;
  token: string;
  stats(): Promise<MockStats>;
  /** Clears the request log and the faults (random ones included). */
  reset(): Promise<void>;
  setRandom(random: MockWorkspaceOptions['random'] | undefined): Promise<void>;
  close(): Promise<void>;
}

const childPath = fileURLToPath(new URL('./mock-child.ts', import.meta.url));

export async function startMockProcess(options: MockWorkspaceOptions = {}): Promise<MockProcess> {
  const child: ChildProcess = fork(childPath, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  const ready = new Promise<{ url: string; projectId: string; token: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code} before it was ready`)));
    child.on('message', (message: Record<string, unknown>) => {
      if (message['ready']) resolve(message['ready'] as { url: string; projectId: string; token: string });
      else if (typeof message['id'] === 'number') {
        waiting.get(message['id'])?.(message);
        waiting.delete(message['id']);
      }
    });
  });
  const info = await ready;
  const ask = (command: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ ...command, id });
    });
  let closed: Promise<void> | undefined;
  return {
    ...info,
    stats: async () => (await ask({ type: 'stats' }))['stats'] as MockStats,
    reset: async () => void (await ask({ type: 'reset' })),
    setRandom: async (random) => void (await ask({ type: 'setRandom', random })),
    close: () =>
      (closed ??= (async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        try {
          await Promise.race([ask({ type: 'close' }), exited]);
        } catch {
          child.kill('SIGKILL');
        }
        await exited;
        clearTimeout(timer);
      })()),
  };
}
