// Baseline: a well-engineered embedded database: better-sqlite3 in WAL mode with
// synchronous=FULL (every commit is fsynced), one row per entry, one transaction per call.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { OutboxEntry } from '../../src/store/entry.js';

export class SqliteStore {
  readonly #db: Database.Database;
  readonly #putMany: (entries: readonly OutboxEntry[]) => void;
  readonly #deleteMany: (keys: readonly string[]) => void;

  constructor(dir: string) {
    this.#db = new Database(join(dir, 'outbox.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, data TEXT NOT NULL)');
    const insert = this.#db.prepare('INSERT OR REPLACE INTO entries (key, seq, data) VALUES (?, ?, ?)');
    this.#putMany = this.#db.transaction((entries: readonly OutboxEntry[]) => {
      for (const entry of entries) insert.run(entry.key, entry.seq, JSON.stringify(entry));
    });
    const remove = this.#db.prepare('DELETE FROM entries WHERE key = ?');
    this.#deleteMany = this.#db.transaction((keys: readonly string[]) => {
      for (const key of keys) remove.run(key);
    });
  }

  /** Async like the other stores, but better-sqlite3 commits synchronously (fsync included). */
  async putMany(entries: readonly OutboxEntry[]): Promise<void> {
    this.#putMany(entries);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    this.#deleteMany(keys);
  }

  get journalMode(): string {
    return String(this.#db.pragma('journal_mode', { simple: true }));
  }

  get synchronous(): number {
    return Number(this.#db.pragma('synchronous', { simple: true }));
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
