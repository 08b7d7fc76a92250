// Case: bundle size. Builds the package (rollup, into dist/) and asks size-limit (the same
// entries and limits as `npm run check:package`) what each entry costs a browser app, brotli.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchCase, Goal, Row } from '../harness.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** The goal for the browser entry's `createOutbox`. */
const BROWSER_GOAL_BYTES = 15_000;

interface SizeLimitResult {
  name: string;
  size: number;
  passed?: boolean;
  sizeLimit?: number;
}

export const bundleSize: BenchCase = {
  name: 'bundle-size',
  title: 'bundle size (size-limit, brotli, dependencies included): what each entry costs a browser app',
  async run({ log }) {
    log('  building dist/ (npm run build)');
    await run(npm, ['run', 'build', '--silent'], { maxBuffer: 16 << 20 });
    const { stdout } = await run(npx, ['size-limit', '--json'], { maxBuffer: 16 << 20 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
    const results = JSON.parse(stdout) as SizeLimitResult[];
    const rows: Row[] = results.map((result) => ({
      group: 'brotli',
      variant: result.name,
      metric: 'size',
      unit: 'kB',
      median: result.size / 1000,
      samples: [result.size / 1000],
      ratios: {},
      extra: { 'limit kB': (result.sizeLimit ?? NaN) / 1000 },
    }));
    const browser = results.find((result) => result.name.startsWith('createOutbox from wks-mail-outbox/browser'));
    const goals: Goal[] = [
      {
        goal: `createOutbox from wks-mail-outbox/browser ≤ ${BROWSER_GOAL_BYTES / 1000} kB brotli`,
        met: browser !== undefined && browser.size <= BROWSER_GOAL_BYTES,
        detail: browser ? `${(browser.size / 1000).toFixed(2)} kB` : 'no such size-limit entry',
      },
    ];
    return { params: { tool: 'size-limit (esbuild + brotli)' }, rows, goals, notes: ['sizes as size-limit reports them: the entry\'s import with every dependency it pulls in, minified, brotli; chunks loaded only on demand are not counted'] };
  },
};
