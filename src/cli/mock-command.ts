import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMockWorkspace } from '../mock/server.js';
import type { MockWorkspaceOptions } from '../mock/types.js';
import { CliError } from './exit-codes.js';

export const MOCK_USAGE = `wks-mail-outbox mock [--port N] [--faults JSON] [--options JSON|@FILE]

Runs the mock Workspace service on 127.0.0.1 until SIGINT or SIGTERM. Prints one JSON line first:
  {"url":"http://127.0.0.1:PORT","projectId":"…","token":"…"}
--port N        port to listen on (default 0: any free port, read it from "url")
--faults JSON   scripted faults, e.g. '[{"status":503,"retryAfter":1,"times":3}]'
--options JSON  any startMockWorkspace option (projectId, token, poisonIds, random, latencyMs, …),
                as JSON or @path/to/options.json; --port and --faults override it
`;

function parseJson(flag: string, text: string): unknown {
  const source = text.startsWith('@') ? readFileOrFail(flag, text.slice(1)) : text;
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new CliError(`${flag} must be JSON (${(error as Error).message})`);
  }
}

function readFileOrFail(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The mock's options from the command line. @throws CliError naming the bad flag. */
export function mockOptionsFrom(argv: readonly string[]): MockWorkspaceOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { port: { type: 'string' }, faults: { type: 'string' }, options: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError(`mock: ${(error as Error).message}`);
  }
  const base = values.options === undefined ? {} : parseJson('--options', values.options);
  if (base === null || typeof base !== 'object' || Array.isArray(base)) throw new CliError('--options must be a JSON object');
  const options: Record<string, unknown> = { ...base };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65_535) throw new CliError('--port must be a whole number from 0 to 65535');
    options.port = port;
  }
  if (values.faults !== undefined) options.faults = parseJson('--faults', values.faults);
  return options as MockWorkspaceOptions;
}

/**
 * `wks-mail-outbox mock`: starts the mock service, prints where it is, serves until a signal
 * asks it to stop, then closes every socket and resolves the exit code (0).
 */
export async function runMock(argv: readonly string[], out: { write(text: string): unknown }, until: Promise<unknown>): Promise<number> {
  const options = mockOptionsFrom(argv);
  let mock;
  try {
    mock = await startMockWorkspace(options);
  } catch (error) {
    // The mock's own TypeError names the option; an address in use and the like come as they are.
    throw new CliError(`mock: ${(error as Error).message}`);
  }
  out.write(`${JSON.stringify({ url: mock.url, projectId: mock.projectId, token: mock.token })}\n`);
  await until;
  await mock.close();
  return 0;
}
