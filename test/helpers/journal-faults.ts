// Fault injection on the journal's real file handle: wraps methods of Node's FileHandle
// prototype (vi.spyOn) so that calls on the handle of one file fail as a sick disk would, while
// every other handle (and every other call) goes to the real method. Nothing in the store is
// stubbed or told about it.
import { readlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';

type Method = 'write' | 'datasync' | 'truncate' | 'sync';

/** An error as the kernel would report it (`code`, `errno`-style message). */
export function fsError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${syscall}`), { code, syscall });
}

/** What a fault does on one call: fail, or do part of the work (a short write) and then fail. */
export type Fault = { fail: NodeJS.ErrnoException } | { shortWriteThenFail: NodeJS.ErrnoException };

/**
 * Arms faults on the handles open on `path`. `plan[method]` is consulted on each call to that
 * method on such a handle: it returns a fault for this call or undefined (call the real method).
 * Restore with `vi.restoreAllMocks()`.
 */
export async function injectJournalFaults(scratchDir: string, path: string, plan: Partial<Record<Method, () => Fault | undefined>>): Promise<void> {
  const probe = await open(join(scratchDir, 'fault-probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as Record<Method, (...args: unknown[]) => Promise<unknown>>;
  await probe.close();
  const isTarget = (handle: FileHandle) => {
    try {
      return readlinkSync(`/proc/self/fd/${handle.fd}`).replace(/ \(deleted\)$/, '') === path;
    } catch {
      return false;
    }
  };
  for (const method of Object.keys(plan) as Method[]) {
    const real = prototype[method];
    const decide = plan[method] as () => Fault | undefined;
    vi.spyOn(prototype, method).mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
      const fault = isTarget(this) ? decide() : undefined;
      if (!fault) return real.apply(this, args);
      if ('fail' in fault) throw fault.fail;
      // A short write: half of what was asked reaches the file, then the call fails.
      const [buffer, offset = 0] = args as [Buffer, number?];
      const half = Math.max(1, Math.floor((buffer.length - offset) / 2));
      await real.call(this, buffer, offset, half);
      throw fault.shortWriteThenFail;
    });
  }
}
