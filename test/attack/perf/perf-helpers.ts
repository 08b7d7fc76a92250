// Shared by the attacks on the performance change: journals written by hand (checksummed put
// lines as this version writes them, with the checksum recomputed over whatever a test puts in
// them), and an outbox over a FileStore pointed at the mock service.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOutbox, FileStore, type Outbox, type OutboxOptions } from '../../../src/node.js';
import type { MockWorkspace } from '../../../src/mock-server.js';
import { putLine } from '../../../src/store/file/put-line.js';
import { bareEntry } from '../../../src/testing.js';
import type { OutboxEntry } from '../../../src/index.js';
import { FAST_RETRY } from '../../helpers/fast-retry.js';

/** A put line exactly as `putMany` frames it (`"v":1,"crc":…` recomputed), holding anything. */
export const checksummedLine = (...entries: unknown[]): string => putLine(entries.map((entry) => JSON.stringify(entry)));

/** A pre-checksum put line: `{"put":[…]}` and its newline. */
export const plainPutLine = (...entries: unknown[]): string => `${JSON.stringify({ put: entries })}\n`;

/** Writes `lines` (each ending with its newline) as the journal of `dir`. */
export async function writeJournal(dir: string, ...lines: string[]): Promise<void> {
  await writeFile(join(dir, 'journal.jsonl'), lines.join(''));
}

/** A valid pending entry of `projectId`, enqueued at `at`. */
export function pendingEntry(id: string, projectId: string, seq: number, at: number, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return bareEntry(id, { projectId, seq, enqueuedAt: at, ...overrides });
}

/** An outbox over `store` sending to `mock` with fast retries; `now` is the outbox's clock. */
export function outboxOver(mock: MockWorkspace, store: FileStore, now?: () => number, overrides: Partial<OutboxOptions> = {}): Outbox {
  return createOutbox({
    endpoint: mock.url,
    projectId: mock.projectId,
    auth: { token: mock.token },
    store,
    retry: { ...FAST_RETRY, maxAttempts: 3 },
    ...(now ? { now } : {}),
    ...overrides,
  });
}

/** The ids of every record the mock was sent, request by request, and every key each record carried. */
export function sentRecords(mock: MockWorkspace): Array<Record<string, unknown>> {
  return mock.requests.flatMap((request) => ((request as { body?: { records?: Array<Record<string, unknown>> } }).body?.records ?? []));
}
