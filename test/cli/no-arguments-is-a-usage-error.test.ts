// The CLI run with nothing: the usage on stderr and exit 1, as for any command line it cannot
// run (a script that forgot its command must not look successful).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.js';

describe('no arguments', () => {
  it('prints the usage on stderr and exits 1', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^wks-mail-outbox: no command given\n\nUsage: wks-mail-outbox <command> \[options\]/);
    // The usage names every way to run it, the newer ones too.
    for (const word of ['drain', '--max-attempts', '--deadline', '--records', '4 deadline passed', '130/143']) expect(run.stderr).toContain(word);
  });
});
