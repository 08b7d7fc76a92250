// Runs the service-worker-replay case on its own, as bench/run.ts runs a case:
//   node --import tsx bench/support/sw-replay-run.ts [--quick] [--json]
// (bench/run.ts runs it with `--only=service-worker-replay` once the case is in its CASES list).
import { loadavg } from 'node:os';
import { renderCase, type CaseResult } from '../harness.js';
import { serviceWorkerReplay } from '../cases/service-worker-replay.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const started = performance.now();
const loadAtStart = loadavg()[0] as number;
const measured = await serviceWorkerReplay.run({ quick, log: (line) => process.stderr.write(`${line}\n`) });
const result: CaseResult = {
  case: serviceWorkerReplay.name,
  title: serviceWorkerReplay.title,
  ...measured,
  seconds: (performance.now() - started) / 1000,
  loadAverage: [loadAtStart, loadavg()[0] as number],
};
console.log(args.includes('--json') ? JSON.stringify({ ...result, quick }) : renderCase(result));
