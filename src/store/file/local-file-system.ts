// Whether a directory is on a local disk file system, where a `stat` answers from the kernel's
// caches in microseconds and may be made synchronously (no thread-pool round trip, which on a
// small machine costs more CPU than the stat itself). Network and user-space file systems (NFS,
// SMB, FUSE) can take a round trip or hang: there, and wherever this cannot be told, stats stay
// asynchronous so that the event loop never waits on them.
import * as fsPromises from 'node:fs/promises';

/** `statfs` type numbers (Linux `f_type`) of local disk and memory file systems. */
const LOCAL_TYPES = new Set([
  0xef53, // ext2/3/4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs (containers)
  0xf2f52010, // f2fs
  0x2fc12fc1, // zfs
]);

/** True when `dir` is on one of `LOCAL_TYPES` (Linux only); false when unsure. */
export async function isLocalFileSystem(dir: string): Promise<boolean> {
  const statfs = (fsPromises as { statfs?: (path: string) => Promise<{ type: number }> }).statfs;
  if (process.platform !== 'linux' || typeof statfs !== 'function') return false;
  try {
    return LOCAL_TYPES.has((await statfs(dir)).type);
  } catch {
    return false;
  }
}
