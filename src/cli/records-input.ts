import { readFile } from 'node:fs/promises';
import { CliError } from './exit-codes.js';

/** Reads all of stdin as text. */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The records to send, from a file or stdin, in any of the shapes a user has at hand: a JSON
 * array of records, the send API's body `{ "records": [...] }`, or the list API's answer
 * `{ "count": n, "records": [...] }` as it comes. The records themselves are validated later,
 * all or nothing, by `enqueue`.
 */
export async function readRecordsInput(file: string | undefined, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<unknown[]> {
  let text: string;
  let source: string;
  if (file === undefined || file === '-') {
    if (file === undefined && stdin.isTTY) throw new CliError('send: give a FILE of records, or pipe them to stdin');
    source = 'stdin';
    text = await readStdin(stdin);
  } else {
    source = file;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === 'ENOENT' ? `send: no such file: ${file}` : `send: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`send: ${source} is not valid JSON (${(error as Error).message})`);
  }
  if (Array.isArray(json)) return json;
  if (json !== null && typeof json === 'object' && Array.isArray((json as { records?: unknown }).records)) {
    return (json as { records: unknown[] }).records;
  }
  throw new CliError(`send: ${source} must hold a JSON array of records, or an object with a "records" array`);
}
