// Every wait for the store's lock has a deadline, and nothing at the lock's path is ever spun
// on: a dangling symlink named `lock` (which made acquire loop at full CPU forever), a directory
// or a FIFO named `lock`, or a lock file this user cannot read, each settle within lockWaitMs
// with an error that says what is there. Temp files `lock.<pid>.<nonce>` left by dead processes
// are cleaned when the lock is taken.
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, isStoreError, isStoreLockedError } from '../../src/node.js';
import { canSpawnTsAs, spawnTs, type TsChild } from '../helpers/spawn-ts.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const HOLD_STORE = new URL('./children/hold-store.ts', import.meta.url);
const stores: FileStore[] = [];
const children: TsChild[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
  await Promise.all(children.splice(0).map((child) => child.kill()));
});

/** How opening a store in `dir` settles, and after how long; fails the test if it does not settle within 10 s. */
async function openingSettles(dir: string, lockWaitMs: number): Promise<{ outcome: 'opened' | Error & Record<string, unknown>; ms: number }> {
  const store = new FileStore({ dir, lockWaitMs });
  stores.push(store);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), 10_000);
  });
  const outcome = await Promise.race([store.load().then(() => 'opened' as const, (error: Error & Record<string, unknown>) => error), hang]);
  clearTimeout(timer);
  if (outcome === 'hang') throw new Error(`opening with lockWaitMs ${lockWaitMs} did not settle within 10 s`);
  return { outcome, ms: performance.now() - started };
}

const lockOf = (dir: string) => join(dir, 'lock');

describe('the lock never spins', () => {
  for (const lockWaitMs of [0, 500]) {
    it(`a dangling symlink named lock, lockWaitMs ${lockWaitMs}: opening fails after about lockWaitMs with a StoreError saying it is a symbolic link`, async () => {
      const dir = await tempDir('lock-symlink');
      await symlink(join(dir, 'nowhere'), lockOf(dir));
      const { outcome, ms } = await openingSettles(dir, lockWaitMs);
      expect(outcome).not.toBe('opened');
      const error = outcome as Error;
      expect(isStoreError(error), `${error.name}: ${error.message}`).toBe(true);
      expect(error.message).toContain(lockOf(dir));
      expect(error.message).toMatch(/symbolic link/);
      expect(ms).toBeGreaterThanOrEqual(lockWaitMs - 5);
    });
  }

  it('a symlink named lock that points to a valid-looking lock of a dead process is not followed nor removed', async () => {
    const dir = await tempDir('lock-symlink-valid');
    const target = join(dir, 'elsewhere');
    await writeFile(target, JSON.stringify({ pid: 999_999_999, host: hostname(), nonce: 'x', since: '' }));
    await symlink(target, lockOf(dir));
    const { outcome } = await openingSettles(dir, 0);
    expect(isStoreError(outcome), String(outcome)).toBe(true);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['lock', 'elsewhere']));
  });

  it('a directory named lock: a StoreError saying it is a directory', async () => {
    const dir = await tempDir('lock-directory');
    await mkdir(lockOf(dir));
    const { outcome } = await openingSettles(dir, 200);
    expect(isStoreError(outcome), String(outcome)).toBe(true);
    expect((outcome as Error).message).toMatch(/is a directory/);
  });

  it('a FIFO named lock (reading it would block forever): a StoreError saying it is not a regular file', async () => {
    const dir = await tempDir('lock-fifo');
    execFileSync('mkfifo', [lockOf(dir)]);
    const { outcome } = await openingSettles(dir, 200);
    expect(isStoreError(outcome), String(outcome)).toBe(true);
    expect((outcome as Error).message).toMatch(/not a regular file/);
  });

  it('a lock file this user cannot read: a StoreError saying it cannot be read (it may be another user\'s live lock), and it is left alone', async (context) => {
    const dir = await tempDir('lock-unreadable');
    await writeFile(lockOf(dir), JSON.stringify({ pid: 1, host: hostname(), nonce: 'theirs', since: '' }), { mode: 0o600 });
    const past = new Date(Date.now() - 60_000);
    await utimes(lockOf(dir), past, past);
    let settled: { name: string; message: string } | 'opened';
    if (process.getuid?.() === 0) {
      // Root reads every file: the opener is a child process running as nobody, who must be
      // able to reach this checkout (not so in a folder only root may enter, e.g. mktemp -d).
      const nobody = 65_534;
      if (!canSpawnTsAs(nobody, nobody, HOLD_STORE)) context.skip('user nobody cannot reach this checkout (a folder only its owner may enter)');
      const scratch = await tempDir('lock-unreadable-tmp');
      await chown(dir, nobody, nobody);
      await chown(scratch, nobody, nobody);
      await chmod(dir, 0o700);
      const child = spawnTs(HOLD_STORE, [dir, '300'], { uid: nobody, gid: nobody, env: { TMPDIR: scratch, HOME: scratch } });
      children.push(child);
      const line = await child.waitForLine((text) => text.startsWith('ERROR ') || text.startsWith('LOCKED '), 15_000);
      settled = line.startsWith('LOCKED ') ? 'opened' : (JSON.parse(line.slice('ERROR '.length)) as { name: string; message: string });
    } else {
      await chmod(lockOf(dir), 0o000);
      const { outcome } = await openingSettles(dir, 300);
      settled = outcome === 'opened' ? 'opened' : { name: outcome.name, message: outcome.message };
    }
    expect(settled).not.toBe('opened');
    expect(settled).toMatchObject({ name: 'StoreError' });
    expect((settled as { message: string }).message).toMatch(/cannot be read/);
    expect((settled as { message: string }).message).toMatch(/EACCES/);
    expect(await readdir(dir)).toContain('lock');
  });

  it('leftover lock.<pid>.<nonce> temp files of dead processes are removed when the lock is taken; a fresh one of a live process is kept', async () => {
    const dir = await tempDir('lock-temp-files');
    const dead = execFileSync('sh', ['-c', 'echo $$']).toString().trim(); // a process that has exited
    const old = new Date(Date.now() - 120_000);
    const stale = [`lock.${dead}.0123456789abcdef`, `lock.${dead}.fedcba9876543210`, `lock.${process.pid}.00000000000000aa`];
    for (const name of stale) {
      await writeFile(join(dir, name), JSON.stringify({ pid: Number(dead), host: hostname(), nonce: 'x', since: '' }));
      await utimes(join(dir, name), old, old);
    }
    const fresh = `lock.${process.pid}.00000000000000bb`; // could be a racer of this process, mid-acquire
    await writeFile(join(dir, fresh), '');
    const { outcome } = await openingSettles(dir, 0);
    expect(outcome).toBe('opened');
    const left = await readdir(dir);
    for (const name of stale) expect(left).not.toContain(name);
    expect(left).toContain(fresh);
    expect(left).toContain('lock');
  });

  it('a lock held by a live process, with lockWaitMs 300: StoreLockedError after about 300 ms, not before', async () => {
    const dir = await tempDir('lock-live');
    const holder = new FileStore({ dir });
    stores.push(holder);
    await holder.load();
    const { outcome, ms } = await openingSettles(dir, 300);
    expect(isStoreLockedError(outcome), String(outcome)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(295);
  });
});
