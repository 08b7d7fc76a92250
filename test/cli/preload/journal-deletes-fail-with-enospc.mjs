// Loaded into a CLI child with NODE_OPTIONS=--import: every write of a journal line that deletes
// records fails as a full disk would (ENOSPC), while every other write goes through. The CLI and
// the store are not told: this is what a disk that fills up right after the 200 looks like.
import { open } from 'node:fs/promises';

const probe = await open(process.execPath, 'r');
const prototype = Object.getPrototypeOf(probe);
await probe.close();
const realWrite = prototype.write;
prototype.write = async function write(buffer, ...rest) {
  if (Buffer.isBuffer(buffer) && buffer.includes('{"del":')) {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  }
  return realWrite.call(this, buffer, ...rest);
};
