// `node --import <this file> child.ts`: lets a child process run the project's TypeScript as it
// is (no build), the way vitest does in the test process. Node 20 cannot strip types itself.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
