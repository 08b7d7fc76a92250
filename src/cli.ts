import { readFileSync } from 'node:fs';
import { iterateAuthorizationMailRecords } from './api/list.js';
import { isOutboxError } from './errors/OutboxError.js';
import { parseCliArgs, USAGE, type CliArgs } from './cli/args.js';
import { serviceConfig } from './cli/config.js';
import { enqueueAndDrain } from './cli/deliver.js';
import { CliError, EXIT } from './cli/exit-codes.js';
import { runMaintenance } from './cli/maintenance.js';
import { readRecordsInput } from './cli/records-input.js';
import { humanReporter, jsonReporter } from './cli/reporter.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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
  const reporter = args.json ? jsonReporter(process.stdout) : humanReporter(process.stdout);
  if (args.command === 'send') {
    if (args.positionals.length > 1) throw new CliError('send takes at most one FILE');
    const service = serviceConfig(args, process.env);
    const records = await readRecordsInput(args.positionals[0], process.stdin);
    return enqueueAndDrain(records, args, service, reporter);
  }
  if (args.command === 'resend-failed') {
    if (!args.appGroup) throw new CliError('resend-failed needs --app-group ID');
    const service = serviceConfig(args, process.env);
    const records = [];
    for await (const record of iterateAuthorizationMailRecords({ ...service, appGroupId: args.appGroup, mailSendResult: 'FAIL' })) records.push(record);
    reporter.message(`found ${records.length} record(s) of ${args.appGroup} whose last send failed`);
    return enqueueAndDrain(records, args, service, reporter);
  }
  return runMaintenance(args, process.stdout);
}

async function main(): Promise<void> {
  try {
    const code = await run(parseCliArgs(process.argv.slice(2)));
    // The details are on stdout (or in the --json summary); stderr says why the code is not 0.
    if (code === EXIT.deadLettered) process.stderr.write('wks-mail-outbox: some records were dead-lettered; `wks-mail-outbox dead` lists them\n');
    if (code === EXIT.paused) process.stderr.write('wks-mail-outbox: the outbox paused (credentials, permission or endpoint); the records are kept: fix it and run again\n');
    process.exitCode = code;
  } catch (error) {
    // Our errors' messages never hold secrets; anything else is shown by name only.
    const message = error instanceof CliError || isOutboxError(error) || error instanceof TypeError ? error.message : `internal error (${(error as Error)?.name})`;
    process.stderr.write(`wks-mail-outbox: ${message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT.error;
  }
}

await main();
