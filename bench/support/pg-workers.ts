// The parent's handle on the worker processes of the postgres-drain case (pg-worker-child.ts):
// started once per case, each opened over a run's schema, all sent `go` at the same moment,
// and `delivered(n)` resolves when the workers have reported n records sent between them.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PgWorkerCommand, PgWorkerConfig, PgWorkerMessage, PgWorkerRequest } from './pg-worker-child.js';

const childPath = fileURLToPath(new URL('./pg-worker-child.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  waiting: Map<number, (message: PgWorkerMessage) => void>;
}

export class PgWorkers {
  readonly #workers: Worker[];
  #nextId = 1;
  #sent = 0;
  #target: { count: number; resolve: (at: number) => void } | undefined;
  /** `failed`/`error` events of the workers since the last `takeProblems()`. */
  #problems: string[] = [];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    for (const worker of workers) {
      worker.child.on('message', (message: PgWorkerMessage) => {
        if ('id' in message) {
          worker.waiting.get(message.id)?.(message);
          worker.waiting.delete(message.id);
        } else if ('sent' in message) {
          this.#sent += message.sent;
          if (this.#target && this.#sent >= this.#target.count) this.#target.resolve(performance.now());
        } else if ('problem' in message) {
          this.#problems.push(message.problem);
        }
      });
    }
  }

  /** Forks `count` worker processes and waits until each is ready. */
  static async start(count: number): Promise<PgWorkers> {
    const workers = await Promise.all(
      Array.from({ length: count }, async (): Promise<Worker> => {
        const child = fork(childPath, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        await new Promise<void>((resolve, reject) => {
          child.once('error', reject);
          child.once('exit', (code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
          child.on('message', (message: PgWorkerMessage) => {
            if ('ready' in message) resolve();
          });
        });
        return { child, waiting: new Map() };
      }),
    );
    return new PgWorkers(workers);
  }

  get size(): number {
    return this.#workers.length;
  }

  #ask(worker: Worker, command: PgWorkerRequest): Promise<{ cpuUs?: number; sent?: number }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      worker.waiting.set(id, (message) => {
        if ('ok' in message && message.ok) resolve({ cpuUs: message.cpuUs, sent: message.sent });
        else reject(new Error(`worker: ${'error' in message ? message.error : 'no answer'}`));
      });
      const message: PgWorkerCommand = { ...command, id };
      worker.child.send(message);
    });
  }

  /** Opens the first `count` workers over `config` (connected, migrated, not started). */
  async open(count: number, config: PgWorkerConfig): Promise<void> {
    await Promise.all(this.#workers.slice(0, count).map((worker) => this.#ask(worker, { type: 'open', config })));
    this.#sent = 0;
  }

  /** Starts the first `count` workers; resolves the moment (performance.now()) `records` have been sent. */
  async go(count: number, records: number, timeoutMs: number): Promise<number> {
    const reached = new Promise<number>((resolve) => (this.#target = { count: records, resolve }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the workers sent ${this.#sent} of ${records} records in ${timeoutMs} ms; problems: ${this.#problems.slice(0, 3).join('; ') || 'none'}`)), timeoutMs);
    });
    try {
      await Promise.all(this.#workers.slice(0, count).map((worker) => this.#ask(worker, { type: 'go' })));
      return await Promise.race([reached, late]);
    } finally {
      clearTimeout(timer);
      this.#target = undefined;
    }
  }

  /** Records reported sent since `open`. */
  get sent(): number {
    return this.#sent;
  }

  /** Closes the first `count` workers' outboxes; resolves their CPU (µs since `go`, summed) and sends. */
  async close(count: number): Promise<{ cpuUs: number; sent: number[] }> {
    const answers = await Promise.all(this.#workers.slice(0, count).map((worker) => this.#ask(worker, { type: 'close' })));
    return { cpuUs: answers.reduce((sum, answer) => sum + (answer.cpuUs ?? 0), 0), sent: answers.map((answer) => answer.sent ?? 0) };
  }

  takeProblems(): string[] {
    return this.#problems.splice(0);
  }

  /** Ends every worker process (each closes what it has open as it exits). */
  async stop(): Promise<void> {
    await Promise.all(
      this.#workers.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.disconnect();
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
