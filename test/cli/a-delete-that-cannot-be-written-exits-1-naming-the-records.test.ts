// Issue 10, point 6: the 200 came, but the disk is full when the delivered records' delete is
// written. Exiting 0 would be a lie (the next run sends them again): close() rejects, the CLI
// exits 1 and says which records may be sent again; the records are still in the outbox.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { queueContents } from '../helpers/cli-outbox-dir.js';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const failDeletes = fileURLToPath(new URL('./preload/journal-deletes-fail-with-enospc.mjs', import.meta.url));

describe('a delete that cannot be written', () => {
  it('makes send exit 1, naming the delivered records that may be sent again, and keeps them queued', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    const records = recordsWithAccounts(3, 'delivered-but-not-deleted');
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir)], {
      env: { ...tokenEnv(mock), NODE_OPTIONS: `--import ${failDeletes}` },
      stdin: JSON.stringify(records),
    });
    expect(mock.deliveredIds().sort()).toEqual(records.map((record) => record.id).sort());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/3 delivered records could not be deleted/);
    expect(run.stderr).toMatch(/sent again/);
    for (const record of records) expect(run.stderr).toContain(record.id);
    expect(run.stderr).not.toContain('internal error');
    // Honest about the disk: the records are still there, so a later run resends them.
    expect((await queueContents(dir)).pending).toEqual(records.map((record) => record.id).sort());
  });

  it('without the fault the same run exits 0 and leaves nothing queued (the fixture is what fails)', async () => {
    const mock = await startMock();
    const dir = join(await tempDir(), 'outbox');
    const records = recordsWithAccounts(3, 'delivered-and-deleted');
    const run = await runCli(['send', '-', ...serviceArgs(mock, dir)], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
    expect(run.code).toBe(0);
    expect((await queueContents(dir)).pending).toEqual([]);
  });
});
