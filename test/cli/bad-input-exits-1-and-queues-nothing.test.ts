// Exit code 1 for records the CLI cannot take: a message on stderr that says what is wrong,
// and nothing queued (all or nothing), so a corrected run starts clean.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

/** Runs `send SOURCE` where SOURCE is `-` (with `input.stdin`) or a file of the temp dir (with `input.file`'s text, unless absent). */
async function badInput(input: { stdin: string } | { file: string; text?: string }) {
  const mock = await startMock();
  const dir = await tempDir();
  const outbox = join(dir, 'outbox');
  let source = '-';
  if ('file' in input) {
    source = join(dir, input.file);
    if (input.text !== undefined) await writeFile(source, input.text);
  }
  const run = await runCli(['send', source, ...serviceArgs(mock, outbox)], { env: tokenEnv(mock), ...('stdin' in input ? { stdin: input.stdin } : {}) });
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^wks-mail-outbox: send: /);
  expect(mock.requests).toEqual([]);
  return { stderr: run.stderr, outbox };
}

describe.concurrent('bad input exits 1 with a message on stderr and sends nothing', () => {
  it('a FILE that does not exist, named', async () => {
    const { stderr } = await badInput({ file: 'no-such-records.json' });
    expect(stderr).toContain('no such file');
    expect(stderr).toContain('no-such-records.json');
  });

  it('a FILE that is not valid JSON, named', async () => {
    const { stderr } = await badInput({ file: 'broken.json', text: '[{"id": "r-1"},' });
    expect(stderr).toContain('broken.json is not valid JSON');
  });

  it('an invalid record: the message names its index and field, and status then shows nothing queued', async () => {
    const { stderr, outbox } = await badInput({ stdin: JSON.stringify([{ id: 'fine-0' }, { id: 'fine-1' }, { account: 'no-id' }]) });
    expect(stderr).toContain('record 2');
    expect(stderr).toContain('"id"');
    expect(stderr).toContain('nothing was queued');
    const status = await runCli(['status', '--dir', outbox, '--json']);
    expect(status.code).toBe(0);
    expect(jsonLines(status.stdout)).toEqual([{ event: 'status', pending: 0, waiting: 0, dead: 0 }]);
  });
});
