// `npm run bench` → `node --import tsx bench/run.ts [--json] [--quick] [--only=a,b]`
//   --json   one JSON object per case on stdout (progress stays on stderr)
//   --quick  a fast smoke pass with smaller sizes and one round
//   --only   run only the named cases (comma-separated)
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { renderCase, type BenchCase, type CaseResult } from './harness.js';

/** Loaded on demand, so `--only` does not pay for (or trip over) the others' imports. */
const CASES: { name: string; load: () => Promise<BenchCase> }[] = [
  { name: 'durable-enqueue', load: async () => (await import('./cases/durable-enqueue.js')).durableEnqueue },
  { name: 'commit-syscalls', load: async () => (await import('./cases/commit-syscalls.js')).commitSyscalls },
  { name: 'drain-overhead', load: async () => (await import('./cases/drain-overhead.js')).drainOverhead },
  { name: 'open-recover', load: async () => (await import('./cases/open-recover.js')).openRecover },
  { name: 'indexeddb', load: async () => (await import('./cases/indexeddb.js')).indexedDb },
  { name: 'bundle-size', load: async () => (await import('./cases/bundle-size.js')).bundleSize },
  { name: 'under-faults', load: async () => (await import('./cases/under-faults.js')).underFaults },
  { name: 'postgres-enqueue', load: async () => (await import('./cases/postgres-enqueue.js')).postgresEnqueue },
  { name: 'postgres-drain', load: async () => (await import('./cases/postgres-drain.js')).postgresDrain },
  { name: 'service-worker-replay', load: async () => (await import('./cases/service-worker-replay.js')).serviceWorkerReplay },
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
const unknown = args.filter((arg) => arg !== '--json' && arg !== '--quick' && !arg.startsWith('--only='));
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: node --import tsx bench/run.ts [--json] [--quick] [--only=${CASES.map((c) => c.name).join(',')}]`);
  process.exit(1);
}
const selected = only ? CASES.filter((c) => only.includes(c.name)) : CASES;
if (only && selected.length !== only.length) {
  console.error(`unknown case in --only; cases: ${CASES.map((c) => c.name).join(', ')}`);
  process.exit(1);
}

const log = (message: string) => process.stderr.write(`${message}\n`);
/** Which code was measured: the commit, and whether src/ had uncommitted changes. */
function revision(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${commit} + uncommitted changes in src/ (${dirty.split('\n').length} files)` : commit;
  } catch {
    return 'unknown revision';
  }
}
const measured = revision();
const machine = `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}`;
if (!json) console.log(`# wks-mail-outbox benchmarks${quick ? ' (--quick)' : ''}\n${machine}, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}\ncode: ${measured}\n`);
const started = performance.now();
let failed = false;
for (const entry of selected) {
  log(`▶ ${entry.name}`);
  const caseStart = performance.now();
  try {
    const bench = await entry.load();
    const loadAtStart = loadavg()[0] as number;
    const result: CaseResult = { case: bench.name, title: bench.title, ...(await bench.run({ quick, log })), seconds: 0, loadAverage: [loadAtStart, loadAtStart] };
    result.seconds = (performance.now() - caseStart) / 1000;
    result.loadAverage[1] = loadavg()[0] as number;
    if (json) console.log(JSON.stringify({ ...result, quick, machine, revision: measured }));
    else console.log(`${renderCase(result)}\n`);
  } catch (error) {
    failed = true;
    log(`✖ ${entry.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const message = error instanceof Error ? error.message : String(error);
    if (json) console.log(JSON.stringify({ case: entry.name, error: message, revision: measured }));
    else console.log(`## ${entry.name}: FAILED\n  ${message.split('\n')[0]}\n`);
  }
}
const total = (performance.now() - started) / 1000;
log(`done in ${total.toFixed(1)} s`);
if (!json) console.log(`total: ${total.toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
