// `--version` and `--help` answer on stdout and exit 0, without credentials or a service.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.js';
import { repoRoot } from '../helpers/repo-root.js';

const COMMANDS = ['send', 'status', 'dead', 'requeue', 'purge', 'resend-failed'];
const OPTIONS = ['--endpoint', '--region', '--project', '--dir', '--language', '--batch-size', '--app-group', '--json'];

describe.concurrent('version and help', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${version}\n`);
  });

  it('--help prints the usage: every command, every option, where credentials come from, the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: wks-mail-outbox <command> \[options\]/);
    for (const word of [...COMMANDS, ...OPTIONS, 'HUAWEICLOUD_AUTH_TOKEN', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK']) expect(run.stdout).toContain(word);
    expect(run.stdout).toMatch(/Exit codes: 0 all sent, 2 some dead-lettered, 3 paused/);
  });
});
