import type { MockRecord } from './types.js';

/** The authorization email records the mock's service holds, in the order they were given. */
export class RecordStore {
  readonly #records: MockRecord[];
  readonly #byId = new Map<string, MockRecord[]>();

  constructor(records: MockRecord[]) {
    this.#records = records;
    for (const record of records) {
      const same = this.#byId.get(record.id) ?? [];
      same.push(record);
      this.#byId.set(record.id, same);
    }
  }

  /** All records, in store order (the live objects: callers must not change them). */
  all(): readonly MockRecord[] {
    return this.#records;
  }

  /** Records the email for `id` as sent now: `mail_send_result: 'SUCCESS'`, `send_at`, no `error_msg`. */
  markSent(ids: readonly string[], now: number): void {
    const sendAt = new Date(now).toISOString();
    for (const id of ids) {
      for (const record of this.#byId.get(id) ?? []) {
        record.mail_send_result = 'SUCCESS';
        record.send_at = sendAt;
        delete record.error_msg;
      }
    }
  }
}
