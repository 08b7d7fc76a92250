import { readFileSync } from 'node:fs';

// The CLI's commands (send, status, dead, requeue, purge, resend-failed) come with the outbox;
// until then it answers --version and --help and says so for anything else.
const USAGE = `Usage: wks-mail-outbox <command> [options]

Commands (coming with the outbox engine): send, status, dead, requeue, purge, resend-failed
Options: --version, --help`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const [command] = process.argv.slice(2);
if (command === '--version' || command === '-v') {
  console.log(packageVersion());
} else if (command === undefined || command === '--help' || command === '-h') {
  console.log(USAGE);
} else {
  console.error(`wks-mail-outbox: "${command}" is not available in this version.\n\n${USAGE}`);
  process.exitCode = 1;
}
