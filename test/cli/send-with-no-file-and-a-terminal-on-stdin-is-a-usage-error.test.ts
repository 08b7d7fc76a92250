// `send` with no FILE while stdin is a terminal would wait for typed JSON forever: it is a usage
// error instead (exit 1, what to do on stderr). The terminal is a real pseudo-terminal, from
// util-linux's `script`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serviceArgs, tokenEnv } from '../helpers/cli-run.js';
import { useMocks } from '../helpers/mock-service.js';
import { repoRoot } from '../helpers/repo-root.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const SCRIPT = '/usr/bin/script';

/** A word for `sh -c`, quoted. */
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

describe('send on a terminal', () => {
  it.skipIf(!existsSync(SCRIPT))('with no FILE: exit 1 and "give a FILE of records, or pipe them to stdin", nothing sent', async () => {
    const mock = await startMock();
    const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'send', ...serviceArgs(mock, join(await tempDir(), 'outbox'))].map(quote).join(' ');
    // -e: script exits with the child's code; the pty merges stdout and stderr into its output.
    const run = await promisify(execFile)(SCRIPT, ['-qec', command, '/dev/null'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...tokenEnv(mock) }, timeout: 45_000 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code, stdout: error.stdout ?? '' }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('wks-mail-outbox: send: give a FILE of records, or pipe them to stdin');
    expect(mock.requests).toEqual([]);
  });
});
