// Records, entries and temporary directories shared by the cases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthorizationMail } from '../../src/api/schemas.js';
import { entryKey, type OutboxEntry } from '../../src/store/entry.js';

/** The project every bench uses (32 hex characters, like a real one). */
export const PROJECT_ID = '0123456789abcdef0123456789abcdef';

/** A realistic record (all the fields a caller fills in; ~250 bytes of JSON). */
export function makeRecord(id: string, index: number): AuthorizationMail {
  return {
    id,
    account: `user${index}@example.com`,
    account_auth_type: 'USER',
    account_auth_name: `User Number ${index}`,
    app_group_id: `4f6c2b0e9a1d4c7b8e3f${String(index % 1_000_000_000_000).padStart(12, '0')}`,
    app_group_name: 'Finance desktops (Singapore)',
    mail_send_type: 'ADD_GROUP_AUTHORIZATION',
  };
}

/** `count` records with ids `<prefix>-<from>` … */
export function makeRecords(count: number, prefix: string, from = 0): AuthorizationMail[] {
  return Array.from({ length: count }, (_, offset) => makeRecord(`${prefix}-${from + offset}`, from + offset));
}

/** Store entries as the outbox would write them for `records` (new, pending). */
export function makeEntries(records: readonly AuthorizationMail[], firstSeq: number, projectId = PROJECT_ID): OutboxEntry[] {
  const now = Date.now();
  return records.map((record, offset) => ({
    key: entryKey(projectId, record.id),
    record,
    projectId,
    language: 'en-us',
    seq: firstSeq + offset,
    enqueuedAt: now,
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
  }));
}

/** Splits `items` into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** Temporary directories of a case, all removed by `cleanup()` (also on failure). */
export class TempDirs {
  readonly #made: string[] = [];

  async make(label: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `wks-bench-${label}-`));
    this.#made.push(dir);
    return dir;
  }

  async remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    const index = this.#made.indexOf(dir);
    if (index >= 0) this.#made.splice(index, 1);
  }

  async cleanup(): Promise<void> {
    for (const dir of this.#made.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}
