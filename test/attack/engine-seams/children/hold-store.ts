// Holds a FileStore open in DIR (its lock) until stdin closes; prints "held <pid>" once it has it.
import { FileStore } from '../../../../src/store/FileStore.js';

const store = new FileStore({ dir: process.argv[2] as string });
await store.load();
process.stdout.write(`held ${process.pid}\n`);
process.stdin.resume();
process.stdin.on('end', () => void store.close().then(() => process.exit(0)));
