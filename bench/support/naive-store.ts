// Baseline: the naive durable outbox: the whole queue in one JSON file, rewritten atomically
// (write a temp file → fsync → rename) on every change. Writes are serialised (a concurrent
// temp file would clobber another), and each change is its own rewrite: no group commit.
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxEntry } from '../../src/store/entry.js';

export class NaiveJsonStore {
  readonly path: string;
  readonly #entries = new Map<string, OutboxEntry>();
  #tail: Promise<void> = Promise.resolve();
  #skipQueued = false;

  constructor(dir: string) {
    this.path = join(dir, 'queue.json');
  }

  putMany(entries: readonly OutboxEntry[]): Promise<void> {
    return this.#change(() => {
      for (const entry of entries) this.#entries.set(entry.key, structuredClone(entry));
    });
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.#change(() => {
      for (const key of keys) this.#entries.delete(key);
    });
  }

  /**
   * For the benchmark only: calls already queued behind the running rewrite settle without
   * writing (so a timed window can end without waiting for 100 more rewrites). Until `resume()`.
   */
  skipQueued(): void {
    this.#skipQueued = true;
  }

  resume(): void {
    this.#skipQueued = false;
  }

  #change(apply: () => void): Promise<void> {
    const run = this.#tail.then(async () => {
      if (this.#skipQueued) return;
      apply();
      await this.#rewrite();
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #rewrite(): Promise<void> {
    const temp = `${this.path}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify([...this.#entries.values()]));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.path);
  }

  async close(): Promise<void> {
    await this.#tail;
  }
}
