// Two stores of one process opening one directory: the first one's lock becomes visible with
// link(), and the code that records it as held runs a moment later. Another opener that reads
// the lock in that moment must see it held (it names this process and a lock being taken here),
// not stale, or both open the store (seen once in 600 rounds of lock.test.ts's race on CI).
// The moment is made deterministic: link() is wrapped so that, right after the real link, a
// second store opens the directory before the first one's code goes on.
import { afterEach, expect, it, vi } from 'vitest';
import { useTempDirs } from '../helpers/temp-dirs.js';

const afterLink = vi.hoisted(() => ({ hook: undefined as undefined | (() => Promise<void>) }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const link: typeof real.link = async (existing, target) => {
    await real.link(existing, target);
    const hook = afterLink.hook;
    afterLink.hook = undefined;
    if (hook) await hook();
  };
  return { ...real, link, default: { ...real, link } };
});

const { FileStore, isStoreLockedError } = await import('../../src/node.js');

const tempDir = useTempDirs();
afterEach(() => {
  afterLink.hook = undefined;
});

it('a second opener in the same process, reading the lock right after the first one linked it, is refused', async () => {
  const dir = await tempDir('lock-visible');
  const first = new FileStore({ dir });
  const second = new FileStore({ dir });
  let secondOutcome = 'not run';
  afterLink.hook = async () => {
    secondOutcome = await second.load().then(
      () => 'opened',
      (error: unknown) => (isStoreLockedError(error) ? `refused, holder pid ${error.pid}` : String(error)),
    );
  };

  await first.load();
  expect(secondOutcome).toBe(`refused, holder pid ${process.pid}`);
  await first.close();
  await second.close();
});
