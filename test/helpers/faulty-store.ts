import { MemoryStore, type OutboxEntry, type StoreContents } from '../../src/index.js';
import { sleep } from './sleep.js';

/** The QueueStore methods a FaultyStore can fail. */
export type StoreMethod = 'load' | 'putMany' | 'deleteMany' | 'setMeta' | 'close';

/**
 * A MemoryStore whose methods can be made to fail (`fail.add('putMany')`) and that counts its
 * calls. `delayMs` makes every write take that long (to catch the outbox mid-write).
 */
export class FaultyStore extends MemoryStore {
  readonly fail = new Set<StoreMethod>();
  readonly calls: Record<StoreMethod, number> = { load: 0, putMany: 0, deleteMany: 0, setMeta: 0, close: 0 };
  delayMs = 0;
  failure = (method: StoreMethod): Error => new Error(`simulated ${method} fault: disk full`);

  async #enter(method: StoreMethod): Promise<void> {
    this.calls[method]++;
    if (this.delayMs > 0 && method !== 'load' && method !== 'close') await sleep(this.delayMs);
    if (this.fail.has(method)) throw this.failure(method);
  }

  override async load(): Promise<StoreContents> {
    await this.#enter('load');
    return super.load();
  }

  override async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    await this.#enter('putMany');
    return super.putMany(entries);
  }

  override async deleteMany(keys: readonly string[]): Promise<void> {
    await this.#enter('deleteMany');
    return super.deleteMany(keys);
  }

  override async setMeta(values: Readonly<Record<string, number | undefined>>): Promise<void> {
    await this.#enter('setMeta');
    return super.setMeta(values);
  }

  override async close(): Promise<void> {
    await this.#enter('close');
    return super.close();
  }
}
