// When the disk is full or the file system is read-only, a write fails loudly with a StoreError
// that says what failed, and the outbox's in-memory queue stays exactly what is on disk. Real
// file systems: a 64 KiB tmpfs, and an ext4 image that the kernel switches to read-only under
// an open store. Needs root (mount); skipped with the reason otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createOutbox, FileStore, isStoreError, type Outbox } from '../../src/node.js';
import { rejectionOf } from '../helpers/caught.js';
import { PROJECT } from '../helpers/project.js';
import { keysOf } from '../helpers/store-entries.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { bareEntry } from '../../src/testing.js';

const tempDir = useTempDirs();
const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' }).toString();

/** Why mounting is impossible here, or undefined when it works. */
let cannotMount: string | undefined;
beforeAll(async () => {
  if (process.getuid?.() !== 0) {
    cannotMount = 'these tests mount file systems and need root';
    return;
  }
  const probe = await tempDir('mount-probe');
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    run('umount', [probe]);
  } catch (error) {
    cannotMount = `mount -t tmpfs failed here: ${(error as Error).message}`;
  }
});

const mounted: string[] = [];
const outboxes: Outbox[] = [];
const stores: FileStore[] = [];
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((outbox) => outbox.close().catch(() => undefined)));
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
  for (const point of mounted.splice(0).reverse()) {
    try {
      run('umount', [point]);
    } catch {
      run('umount', ['-l', point]);
    }
  }
});

function requireMount(context: TestContext): void {
  if (cannotMount) context.skip(`skipped: ${cannotMount}`);
}

/** A fresh tmpfs of `size` (e.g. '64k'), unmounted after the test. */
async function tmpfs(size: string): Promise<string> {
  const point = await tempDir('tmpfs');
  run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', point]);
  mounted.push(point);
  return point;
}

function outboxIn(dir: string): Outbox {
  const outbox = createOutbox({ endpoint: 'http://127.0.0.1:9', projectId: PROJECT, auth: { token: 'unused-token' }, dir });
  outboxes.push(outbox);
  return outbox;
}

/** What a fresh FileStore reads from a copy of `journal` (outside the file system under test). */
async function readBack(journal: string): Promise<{ keys: string[]; problems: string[] }> {
  const copy = await tempDir('read-back');
  await copyFile(journal, join(copy, 'journal.jsonl'));
  const store = new FileStore({ dir: copy });
  const { entries, problems = [] } = await store.load();
  await store.close();
  return { keys: keysOf(entries), problems };
}

const bulky = (id: string) => ({ id, account: `user-${id}`, error_msg: 'x'.repeat(400), app_group_name: `group of ${id}` });

describe('a full disk', () => {
  it('enqueue rejects with a StoreError that says the disk is full; pending() is what is on disk; after space is freed, enqueue works again', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    await writeFile(join(point, 'filler'), Buffer.alloc(16 * 1024, 1));
    const dir = join(point, 'store');
    const outbox = outboxIn(dir);

    let error: unknown;
    let acknowledged = 0;
    for (let group = 0; group < 500 && error === undefined; group++) {
      try {
        await outbox.enqueue(Array.from({ length: 3 }, (_, index) => bulky(`g${group}-${index}`)));
        acknowledged += 3;
      } catch (caught) {
        error = caught;
      }
    }
    expect(acknowledged, 'records stored before the disk filled up').toBeGreaterThan(0);
    expect(isStoreError(error), String(error)).toBe(true);
    expect((error as Error).name).toBe('StoreError');
    expect((error as Error).message).toMatch(/disk full/);
    expect((error as Error).message).toMatch(/ENOSPC/);

    const journal = join(dir, 'journal.jsonl');
    const inMemory = keysOf(await outbox.pending());
    expect(inMemory).toHaveLength(acknowledged);
    expect(await readBack(journal), 'a fresh FileStore over the journal as it is now').toEqual({ keys: inMemory, problems: [] });

    await rm(join(point, 'filler'));
    await outbox.enqueue([bulky('after-1'), bulky('after-2')]);
    const afterwards = keysOf(await outbox.pending());
    expect(afterwards).toHaveLength(acknowledged + 2);
    await outbox.close();

    const reopened = new FileStore({ dir });
    stores.push(reopened);
    const { entries, problems = [] } = await reopened.load();
    expect(problems).toEqual([]);
    expect(keysOf(entries)).toEqual(afterwards);
  });

  it('opening a store on a full disk fails with a StoreError that says disk full, and leaves no lock behind', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    const dir = join(point, 'store');
    await mkdir(dir, { mode: 0o700 });
    for (let filler = 0; ; filler++) {
      try {
        await writeFile(join(point, `filler-${filler}`), Buffer.alloc(4096, 1));
      } catch {
        break;
      }
    }

    const error = await rejectionOf(new FileStore({ dir }).load());
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/disk full/);
    // A lock file left behind (even an empty one) would refuse the next open of this directory.
    expect(await readdir(dir)).not.toContain('lock');
  });

  it('a compaction that runs out of space leaves the journal whole and no temp file behind, and says so through onProblem', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    const dir = join(point, 'store');
    const store = new FileStore({ dir, compactSlack: 4 });
    const reported: string[] = [];
    store.onProblem = (problem) => reported.push(problem);
    stores.push(store);
    // Large live entries make the snapshot large; fill the rest so it cannot be written.
    const live = Array.from({ length: 6 }, (_, index) => bareEntry(`live-${index}`, { seq: index, record: { id: `live-${index}`, error_msg: 'y'.repeat(2_000) } }));
    await store.putMany(live);
    let filler = 0;
    for (;;) {
      try {
        await writeFile(join(point, `filler-${filler}`), Buffer.alloc(4096, 1));
        filler++;
      } catch {
        break;
      }
    }
    await rm(join(point, `filler-${filler - 1}`)); // room for small appends, not for a snapshot
    let deletes = 0;
    // The write that finds the disk full may be a put (nothing of it stays) or a delete (its
    // entry, put just before, stays): which one depends on how long the lines are.
    let undeleted: { key: string } | undefined;
    for (let index = 0; index < 40; index++) {
      const entry = bareEntry(`never-there-${index}`, { seq: 100 + index });
      try {
        await store.putMany([entry]);
      } catch {
        break;
      }
      try {
        await store.deleteMany([entry.key]);
        deletes++;
      } catch {
        undeleted = entry;
        break;
      }
    }
    expect(deletes, 'small writes that succeeded (each one past the compaction threshold)').toBeGreaterThan(4);
    expect(reported.length, 'failed compactions reported').toBeGreaterThan(0);
    expect(reported[0]).toMatch(/compacting .*journal\.jsonl failed .*disk full/);
    expect(await readdir(dir)).not.toContain('journal.jsonl.tmp');
    const kept = keysOf([...live, ...(undeleted ? [undeleted] : [])]);
    const { entries } = await store.load();
    expect(keysOf(entries)).toEqual(kept);
    expect(await readBack(store.journalPath)).toEqual({ keys: kept, problems: [] });
  });
});

describe('a read-only file system', () => {
  it('opening a store in a read-only directory fails with a StoreError that says read-only', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    const dir = join(point, 'store');
    const writer = new FileStore({ dir });
    await writer.putMany([bareEntry('a')]);
    await writer.close();
    run('mount', ['-o', 'remount,ro', point]);

    const error = await rejectionOf(new FileStore({ dir }).load());
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/read-only/);
  });

  it('creating a store under a read-only directory fails with a StoreError that says read-only', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    run('mount', ['-o', 'remount,ro', point]);

    const error = await rejectionOf(new FileStore({ dir: join(point, 'new-store') }).load());
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/read-only/);
  });

  it('an outbox over a read-only directory rejects enqueue with a StoreError that says read-only', async (context) => {
    requireMount(context);
    const point = await tmpfs('64k');
    const dir = join(point, 'store');
    await mkdir(dir);
    run('mount', ['-o', 'remount,ro', point]);

    const outbox = outboxIn(dir);
    const error = await rejectionOf(outbox.enqueue({ id: 'r1' }));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/read-only/);
  });

  it('when the file system turns read-only under an open store, enqueue rejects with a StoreError that says read-only, and pending() is what is on disk', async (context) => {
    requireMount(context);
    // `mount -o remount,ro` is refused (EBUSY) while the journal is open for writing; a disk
    // error on ext4 with errors=remount-ro is how a file system goes read-only under a process.
    let missing: string | undefined;
    try {
      run('mkfs.ext4', ['-V']);
    } catch {
      missing = 'mkfs.ext4 is not installed';
    }
    if (missing) context.skip(`skipped: ${missing}`);
    const image = join(await tempDir('ext4-image'), 'disk.img');
    run('truncate', ['-s', '8M', image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    const point = await tempDir('ext4');
    try {
      run('mount', ['-o', 'loop,errors=remount-ro', image, point]);
    } catch (error) {
      context.skip(`skipped: cannot loop-mount an ext4 image here: ${(error as Error).message}`);
    }
    mounted.push(point);
    const device = run('findmnt', ['-n', '-o', 'SOURCE', point]).trim().replace('/dev/', '');
    const trigger = `/sys/fs/ext4/${device}/trigger_fs_error`;
    if (!existsSync(trigger)) context.skip(`skipped: ${trigger} does not exist in this kernel`);

    const dir = join(point, 'store');
    const outbox = outboxIn(dir);
    await outbox.enqueue([{ id: 'r1' }, { id: 'r2' }]);
    await outbox.enqueue({ id: 'r3' });
    const before = keysOf(await outbox.pending());

    await writeFile(trigger, 'wks-mail-outbox test: going read-only\n');
    const error = await rejectionOf(outbox.enqueue([{ id: 'r4' }, { id: 'r5' }]));
    expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
    expect(error.message).toMatch(/read-only/);
    expect(keysOf(await outbox.pending())).toEqual(before);
    expect(await readBack(join(dir, 'journal.jsonl'))).toEqual({ keys: before, problems: [] });
  });
});
