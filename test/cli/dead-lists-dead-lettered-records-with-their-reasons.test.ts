// `wks-mail-outbox dead`: which records the service refused, why, and how often they were sent.
import { describe, expect, it } from 'vitest';
import { seedOutbox } from '../helpers/cli-outbox-dir.js';
import { jsonLines, runCli } from '../helpers/cli-run.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');

describe.concurrent('dead lists the dead-lettered records of --dir with their reasons', () => {
  it('as a table for people: id, reason, requests, last error', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b'], pending: ['p-1'] });
    const run = await runCli(['dead', '--dir', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dead-lettered id\s+reason\s+requests\s+last error/);
    expect(run.stdout).toMatch(/poison-a\s+rejected\s+\d+\s+400 WKS\.00131104/);
    expect(run.stdout).toMatch(/poison-b\s+rejected\s+\d+\s+400 WKS\.00131104/);
    expect(run.stdout).not.toContain('p-1');
  });

  it('as one JSON object per record with --json', async () => {
    const dir = await tempDir();
    await seedOutbox(dir, { dead: ['poison-a', 'poison-b'], pending: ['p-1'] });
    const run = await runCli(['dead', '--dir', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines.map((line) => line.id).sort()).toEqual(['poison-a', 'poison-b']);
    for (const line of lines) {
      expect(line).toMatchObject({ event: 'dead', reason: 'rejected', error: { status: 400, errorCode: 'WKS.00131104' }, record: { id: line.id } });
      expect(line.attempts).toBeGreaterThanOrEqual(1);
    }
  });
});
