// `--max-attempts` and `--deadline` with a value the CLI cannot use: exit 1 (a usage error),
// the flag named on stderr, nothing sent.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');

describe.concurrent('bad --max-attempts and --deadline values', () => {
  it.each([
    ['--max-attempts', '0'],
    ['--max-attempts', '2.5'],
    ['--max-attempts', 'many'],
    ['--deadline', '5x'],
    ['--deadline', '0'],
    ['--deadline', '-5s'],
    ['--deadline', '1d'],
    ['--deadline', '999h'],
  ])('%s %s: exit 1, the flag named, nothing sent', async (flag, value) => {
    const mock = await startMock();
    const run = await runCli(['send', '-', ...serviceArgs(mock, join(await tempDir(), 'outbox')), `${flag}=${value}`], { env: tokenEnv(mock), stdin: '[{"id":"never-sent"}]' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^wks-mail-outbox: ${flag} must be `));
    expect(run.stderr).toContain(`"${value}"`);
    expect(mock.requests).toEqual([]);
  });
});
