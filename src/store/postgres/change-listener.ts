// LISTEN on a connection of its own, for the notifications that wake a worker (rows added, meta
// changed). Never on a one-connection pool (it would take the only one), and let go of when the
// worker stops sending; a broken connection (a restart) is let go of, and the next `listen()`
// starts again (polling covers the gap).
import { pgProblem } from './pg-errors.js';
import type { PgClient, PgPool } from './pg-types.js';

/** The most connections `pool` opens, when it says (a `pg` Pool does, in `options.max`). */
function poolMax(pool: PgPool): number | undefined {
  const max = (pool as { options?: { max?: unknown } }).options?.max;
  return typeof max === 'number' ? max : undefined;
}

export class ChangeListener {
  readonly #channel: string;
  readonly #onProblem: (message: string) => void;
  #onChange: (() => void) | undefined;
  #stop: (() => void) | undefined;
  #client: PgClient | undefined;

  constructor(channel: string, onProblem: (message: string) => void) {
    this.#channel = channel;
    this.#onProblem = onProblem;
  }

  /** Calls `onChange` on each notification, once listening. */
  watch(onChange: () => void): void {
    this.#onChange = onChange;
  }

  /** Listens (if watched, not yet listening, and the pool has more than one connection). */
  listen(pool: PgPool): void {
    if (this.#onChange && !this.#stop && poolMax(pool) !== 1) void this.#listen(pool);
  }

  /** The listening connection while it is up (idle between notifications: renewals may use it). */
  get connection(): PgClient | undefined {
    return this.#client;
  }

  stop(): void {
    this.#stop?.();
  }

  async #listen(pool: PgPool): Promise<void> {
    let client: PgClient | undefined;
    let released = false;
    const letGo = () => {
      if (this.#stop === letGo) [this.#stop, this.#client] = [undefined, undefined];
      if (client && !released) client.release(true);
      released = true;
    };
    this.#stop = letGo;
    try {
      const connected = await pool.connect();
      if (released) return connected.release(true); // stopped while connecting
      client = connected;
      client.on('notification', () => this.#onChange?.());
      client.on('error', letGo);
      await client.query(`LISTEN "${this.#channel}"`);
      if (!released) this.#client = client;
    } catch (error) {
      // Stopped meanwhile (the connection was let go of on purpose): nothing went wrong.
      const stopped = released;
      letGo();
      if (!stopped) this.#onProblem(pgProblem('listening for new rows', error));
    }
  }
}
