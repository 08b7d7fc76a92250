import { StoreError } from '../errors/StoreError.js';
import type { StoreChange, StoreWriter } from './store-writer.js';

/** Waits of `close()` before its second and third try at deletes still owed (real time). */
const CLOSE_RETRY_DELAYS_MS = [100, 400];
/** Record ids named in the error of a `close()` that could not write its deletes. */
const IDS_NAMED = 10;

/**
 * The writes of sending (attempt counts, next-attempt times, the gate, deletes of delivered
 * records), which must not throw into the sending: a failure is reported, and the deletes it
 * carried are owed. A delivered record still in the store is sent again by the next run, so
 * owed deletes go again with every later write, and `close()` (through `settle()`) tries them
 * a few more times and, failing that, says so instead of closing cleanly.
 */
export class SenderWrites {
  readonly #writer: StoreWriter;
  readonly #isQueued: (key: string) => boolean;
  readonly #report: (error: unknown) => void;
  /** Keys of delivered records whose delete did not reach the store. */
  readonly #owed = new Set<string>();

  /**
   * @param isQueued whether a key is in the queue again (re-enqueued): its delete is no longer owed.
   * @param report called with each failed write's error.
   */
  constructor(writer: StoreWriter, isQueued: (key: string) => boolean, report: (error: unknown) => void) {
    this.#writer = writer;
    this.#isQueued = isQueued;
    this.#report = report;
  }

  /** True while `key` was delivered but its delete has not reached the store: a re-read must not bring it back. */
  owes(key: string): boolean {
    return this.#owed.has(key);
  }

  /** Writes `change` plus the deletes owed; a failure is reported, never thrown. */
  async persist(change: StoreChange): Promise<void> {
    if ((change.put?.length ?? 0) + (change.delete?.length ?? 0) === 0 && !change.meta && this.#owed.size === 0) return;
    const error = await this.#write(change);
    if (error !== undefined) this.#report(error);
  }

  /**
   * For `close()`: writes the deletes still owed, trying up to three times.
   * @throws StoreError saying how many delivered records may be sent again (and their ids), when they could not be deleted.
   */
  async settle(): Promise<void> {
    let error: unknown;
    for (let attempt = 0; attempt <= CLOSE_RETRY_DELAYS_MS.length && this.#owed.size > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CLOSE_RETRY_DELAYS_MS[attempt - 1]));
      error = await this.#write({});
    }
    if (this.#owed.size === 0) return;
    const ids = [...this.#owed].map((key) => key.slice(key.indexOf(':') + 1));
    const named = ids.slice(0, IDS_NAMED).join(', ') + (ids.length > IDS_NAMED ? `, and ${ids.length - IDS_NAMED} more` : '');
    const cause = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'close',
      `${ids.length} delivered record${ids.length === 1 ? '' : 's'} could not be deleted from the store, so ${ids.length === 1 ? 'it' : 'they'} may be sent again when this queue is opened next (record ids: ${named}). Last failure: ${cause}`,
      { cause: error },
    );
  }

  /** Writes `change` with the deletes owed; returns the error, and keeps the deletes owed, if it failed. */
  async #write(change: StoreChange): Promise<unknown> {
    for (const key of this.#owed) if (this.#isQueued(key)) this.#owed.delete(key);
    const deletes = [...(change.delete ?? []), ...this.#owed];
    // Owed from now until the write lands: a re-read meanwhile must not take them back as pending.
    for (const key of deletes) this.#owed.add(key);
    try {
      await this.#writer.write({ ...change, delete: deletes });
      for (const key of deletes) this.#owed.delete(key);
      return undefined;
    } catch (error) {
      return error;
    }
  }
}
