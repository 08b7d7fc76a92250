import { parseArgs } from 'node:util';
import { PROJECT_ID_FORMAT, projectIdProblem } from '../api/endpoint.js';
import { CliError } from './exit-codes.js';
import { durationFlag, wholeNumberFlag } from './flag-values.js';

export const COMMANDS = ['send', 'drain', 'status', 'dead', 'requeue', 'purge', 'resend-failed'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  command: Command | 'help' | 'version';
  positionals: string[];
  endpoint?: string | undefined;
  region?: string | undefined;
  project?: string | undefined;
  dir: string;
  /** The queue in PostgreSQL (`--postgres URL` or WKS_PG_URL) instead of `dir`; `schema` from `--schema`. */
  postgres?: { url: string; schema: string | undefined } | undefined;
  language?: string | undefined;
  batchSize?: number | undefined;
  appGroup?: string | undefined;
  /** Sends of one record before it is dead-lettered (`--max-attempts`). @default the outbox's (20) */
  maxAttempts?: number | undefined;
  /** Stop sending this long after the start (`--deadline`), leaving the rest queued. */
  deadlineMs?: number | undefined;
  json: boolean;
  /** `--json` lines carry whole records (`--records`), not only their ids. */
  records: boolean;
}

export const USAGE = `Usage: wks-mail-outbox <command> [options]

Commands:
  send [FILE]                 enqueue the records in FILE (or stdin, or "-") and send them
  drain                       send what is already queued (in --dir or --postgres; no input)
  status                      count pending and dead-lettered records
  dead                        list dead-lettered records with their reasons
  requeue [ID...]             put dead-lettered records (all, or these ids) back in the queue
  purge [ID...]               remove dead-lettered records (all), or these ids whatever their state
  resend-failed --app-group ID   find the group's records whose last send FAILed (list API) and resend them
  mock [--port N] [--faults JSON] [--options JSON|@FILE]
                              run the mock service on 127.0.0.1 until SIGINT/SIGTERM; prints {url, projectId, token}

Options:
  --endpoint URL              service endpoint, e.g. https://workspace.ap-southeast-1.myhuaweicloud.com
  --region REGION             or a region, e.g. ap-southeast-1 (the endpoint is derived from it)
  --project ID                project ID (32 lowercase hex characters)
  --dir DIR                   the outbox's directory (default ./.wks-mail-outbox)
  --postgres URL              the queue in PostgreSQL instead (or WKS_PG_URL); shared with every
                              worker over the same schema (needs the pg package)
  --schema NAME               with --postgres: the schema of the queue (default wks_mail_outbox)
  --language LANG             X-Language: zh-cn, en-us or fr-fr
  --batch-size N              records per request (default 50)
  --app-group ID              application group (resend-failed)
  --max-attempts N            sends of one record before it is dead-lettered (default 20)
  --deadline DURATION         stop sending after 90s, 5m, 1h or N ms; the rest stays queued (exit 4)
  --json                      one JSON object per event on stdout (record ids), then a summary line
  --records                   with --json: whole records in the event lines, not only ids
  -h, --help                  this text
  -v, --version               the version

Credentials come from the environment only, never from the command line:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN), or HUAWEICLOUD_AUTH_TOKEN

Failing requests are reported on stderr as they happen (also with --json).

Exit codes: 0 all sent, 2 some dead-lettered, 3 paused (auth/forbidden/config), 4 deadline passed
(records kept), 130/143 stopped by SIGINT/SIGTERM (records kept), 1 usage or internal error.`;

/** Where the queue is: `--dir`, `--postgres` or WKS_PG_URL (a directory by default). */
function postgresOf(values: { dir?: string | undefined; postgres?: string | undefined; schema?: string | undefined }, env: Readonly<Record<string, string | undefined>>): CliArgs['postgres'] {
  if (values.dir !== undefined && values.postgres !== undefined) throw new CliError('give --dir or --postgres, not both');
  const url = values.postgres ?? (values.dir === undefined ? env.WKS_PG_URL || undefined : undefined);
  if (url === undefined) {
    if (values.schema !== undefined) throw new CliError('--schema goes with --postgres (or WKS_PG_URL)');
    return undefined;
  }
  if (url === '') throw new CliError('--postgres needs a connection URL, e.g. postgres://user@host:5432/db');
  return { url, schema: values.schema };
}

/** Parses argv (without node and the script). @throws CliError for anything it does not know. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: 'string' },
        region: { type: 'string' },
        project: { type: 'string' },
        dir: { type: 'string' },
        postgres: { type: 'string' },
        schema: { type: 'string' },
        language: { type: 'string' },
        'batch-size': { type: 'string' },
        'app-group': { type: 'string' },
        'max-attempts': { type: 'string' },
        deadline: { type: 'string' },
        json: { type: 'boolean' },
        records: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        // Refused with a clear message below: secrets must not be in argv (ps, shell history).
        token: { type: 'string' },
        ak: { type: 'string' },
        sk: { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.token !== undefined || values.ak !== undefined || values.sk !== undefined) {
    throw new CliError('credentials are not accepted on the command line (they would show in ps and shell history): set HUAWEICLOUD_AUTH_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
  }
  const [first, ...rest] = positionals;
  const command = values.help ? 'help' : values.version ? 'version' : first;
  if (command === undefined) throw new CliError(`no command given\n\n${USAGE}`);
  if (command !== 'help' && command !== 'version' && !(COMMANDS as readonly string[]).includes(command)) {
    throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
  const batchSize = values['batch-size'] === undefined ? undefined : wholeNumberFlag('--batch-size', values['batch-size']);
  const maxAttempts = values['max-attempts'] === undefined ? undefined : wholeNumberFlag('--max-attempts', values['max-attempts']);
  const deadlineMs = values.deadline === undefined ? undefined : durationFlag('--deadline', values.deadline);
  if (values.records && !values.json) throw new CliError('--records goes with --json');
  if (values.project !== undefined && !PROJECT_ID_FORMAT.test(values.project)) {
    throw new CliError(projectIdProblem(values.project, '--project'));
  }
  return {
    command: command as CliArgs['command'],
    positionals: rest,
    endpoint: values.endpoint,
    region: values.region,
    project: values.project,
    dir: values.dir ?? './.wks-mail-outbox',
    postgres: postgresOf(values, env),
    language: values.language,
    batchSize,
    appGroup: values['app-group'],
    maxAttempts,
    deadlineMs,
    json: values.json ?? false,
    records: values.records ?? false,
  };
}
