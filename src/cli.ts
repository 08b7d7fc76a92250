import { readFileSync } from 'node:fs';
import { iterateAuthorizationMailRecords } from './api/list.js';
import { isOutboxError } from './errors/OutboxError.js';
import { parseCliArgs, USAGE, type CliArgs } from './cli/args.js';
import { serviceConfig, type ServiceConfig } from './cli/config.js';
import { enqueueAndDrain } from './cli/deliver.js';
import { CliError, EXIT } from './cli/exit-codes.js';
import { runMaintenance } from './cli/maintenance.js';
import { runMock } from './cli/mock-command.js';
import { readRecordsInput } from './cli/records-input.js';
import { humanReporter, jsonReporter } from './cli/reporter.js';
import { unlessStopped, watchForStop, type RunStop } from './cli/stop.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The records a sending command sends (besides those already queued). */
async function recordsToSend(args: CliArgs, service: ServiceConfig, stop: RunStop, say: (text: string) => void): Promise<unknown[]> {
  if (args.command === 'drain') {
    if (args.positionals.length > 0) throw new CliError('drain takes no FILE: it sends what is already queued');
    return [];
  }
  if (args.command === 'send') {
    if (args.positionals.length > 1) throw new CliError('send takes at most one FILE');
    // A stop while stdin is still open: let go of it, or the open pipe keeps the process alive.
    stop.signal.addEventListener('abort', () => process.stdin.destroy(), { once: true });
    return unlessStopped(readRecordsInput(args.positionals[0], process.stdin), stop, 'reading the records');
  }
  if (!args.appGroup) throw new CliError('resend-failed needs --app-group ID');
  const list = async () => {
    const records = [];
    const query = { ...service, appGroupId: args.appGroup as string, mailSendResult: 'FAIL' as const, signal: stop.signal };
    for await (const record of iterateAuthorizationMailRecords(query)) records.push(record);
    return records;
  };
  const records = await unlessStopped(list(), stop, 'listing the records whose last send failed');
  say(`found ${records.length} record(s) of ${args.appGroup} whose last send failed`);
  return records;
}

async function run(args: CliArgs): Promise<number> {
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (args.command === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (args.command !== 'send' && args.command !== 'drain' && args.command !== 'resend-failed') return runMaintenance(args, process.stdout);
  const reporter = args.json ? jsonReporter(process.stdout, { records: args.records }) : humanReporter(process.stdout);
  const service = serviceConfig(args, process.env);
  // From here on SIGINT/SIGTERM and --deadline end the run with a summary, not abruptly.
  const stop = watchForStop(args.deadlineMs, process.stderr);
  try {
    const records = await recordsToSend(args, service, stop, (text) => reporter.message(text));
    return await enqueueAndDrain(records, args, service, reporter, stop, process.stderr);
  } finally {
    stop.dispose();
  }
}

/** The one line on stderr that says why the exit code is not 0 (the details are on stdout, or in the --json summary). */
const WHY: Partial<Record<number, string>> = {
  [EXIT.deadLettered]: 'some records were dead-lettered; `wks-mail-outbox dead` lists them',
  [EXIT.paused]: 'the outbox paused (credentials, permission or endpoint); the records are kept: fix it and run again',
  [EXIT.deadline]: 'the deadline passed; the records not sent are kept: run again (or `wks-mail-outbox drain`) to send them',
  [EXIT.interrupted]: 'stopped by SIGINT; the records not sent are kept',
  [EXIT.terminated]: 'stopped by SIGTERM; the records not sent are kept',
};

/** Resolves on the first SIGINT or SIGTERM (the mock serves until then). */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  try {
    // `mock` has flags of its own (--port, --faults, --options): it parses them itself.
    const code = argv[0] === 'mock' ? await runMock(argv.slice(1), process.stdout, firstSignal()) : await run(parseCliArgs(argv));
    const why = WHY[code];
    if (why) process.stderr.write(`wks-mail-outbox: ${why}\n`);
    process.exitCode = code;
  } catch (error) {
    // Our errors' messages never hold secrets; anything else is shown by name only.
    const message = error instanceof CliError || isOutboxError(error) || error instanceof TypeError ? error.message : `internal error (${(error as Error)?.name})`;
    process.stderr.write(`wks-mail-outbox: ${message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT.error;
  }
}

await main();
