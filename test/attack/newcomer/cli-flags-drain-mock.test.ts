// Attack on the CLI's usage errors, `drain` on odd directories and `wks-mail-outbox mock`
// (README "The CLI", "The mock service"). Spawns processes: belongs to the e2e project.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../../src/node.js';
import { runCli, serviceArgs, tokenEnv } from '../../helpers/cli-run.js';
import { useMocks } from '../../helpers/mock-service.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { startCli } from './cli-child.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const LONG = 60_000;

describe.concurrent('usage errors exit 1 and name the flag', () => {
  for (const [flag, value] of [
    ['--deadline', '0'],
    ['--deadline', '0.1'],
    ['--deadline', '5x'],
    ['--deadline', '-1s'],
    ['--deadline', '1e3'],
    ['--deadline', '600h'],
    ['--deadline', ''],
    ['--max-attempts', '0'],
    ['--max-attempts', '1.5'],
    ['--max-attempts', '99999999999999999999'],
  ] as const) {
    it(`${flag} ${JSON.stringify(value)}`, async () => {
      const mock = await startMock();
      const run = await runCli(['drain', ...serviceArgs(mock, await tempDir('flags')), flag, value], { env: tokenEnv(mock) });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(flag);
      expect(run.stdout).toBe('');
      expect(mock.requests).toEqual([]);
    });
  }

  it('no arguments: usage on stderr, exit 1', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Usage: wks-mail-outbox');
    expect(run.stdout).toBe('');
  });
});

describe.concurrent('drain', () => {
  it('on an empty directory: says nothing is queued, exit 0, no request', async () => {
    const mock = await startMock();
    const run = await runCli(['drain', ...serviceArgs(mock, await tempDir('drain'))], { env: tokenEnv(mock) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('nothing queued');
    expect(mock.requests).toEqual([]);
  });

  it('on a missing directory: exit 0, no request', async () => {
    const mock = await startMock();
    const dir = join(await tempDir('drain'), 'not', 'there');
    const run = await runCli(['drain', ...serviceArgs(mock, dir)], { env: tokenEnv(mock) });
    expect(run.code, run.stderr).toBe(0);
    expect(mock.requests).toEqual([]);
  });

  it('on a directory another process holds: exit 1, says who holds it, not "internal error"', async () => {
    const mock = await startMock();
    const dir = await tempDir('drain');
    const holder = new FileStore({ dir });
    await holder.load();
    try {
      const run = await runCli(['drain', ...serviceArgs(mock, dir)], { env: tokenEnv(mock) });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`process ${process.pid}`);
      expect(run.stderr).not.toContain('internal error');
      expect(mock.requests).toEqual([]);
    } finally {
      await holder.close();
    }
  });
});

describe.concurrent('wks-mail-outbox mock', () => {
  for (const args of [['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--bogus'], ['--faults', 'not json'], ['--options', '@/no/such/file.json'], ['--options', '[1]'], ['positional']]) {
    it(`refuses ${args.join(' ')}: exit 1, a message on stderr, nothing on stdout`, async () => {
      const run = await runCli(['mock', ...args], { timeoutMs: 30_000 });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/^wks-mail-outbox: /);
      expect(run.stdout).toBe('');
    });
  }

  it('a port in use: exit 1 with a message, no hang', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli(['mock', '--port', String((blocker.address() as AddressInfo).port)], { timeoutMs: 30_000 });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('mock:');
      expect(run.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('prints one valid JSON line first, serves, and SIGTERM with a request in flight ends it with 0', { timeout: LONG }, async () => {
    const cli = startCli(['mock', '--faults', '[{"delayMs":30000}]']);
    await cli.waitFor('\n');
    const first = cli.stdout().split('\n')[0] ?? '';
    const info = JSON.parse(first) as { url: string; projectId: string; token: string };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.projectId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof info.token).toBe('string');
    const dir = await tempDir('mock-client');
    const client = startCli(['send', '-', ...serviceArgs({ url: info.url, projectId: info.projectId } as never, dir)], { HUAWEICLOUD_AUTH_TOKEN: info.token }, '[{"id":"a"}]');
    await client.waitFor('sent 0/1', 'stdout').catch(() => undefined);
    cli.child.kill('SIGTERM');
    const { code } = await cli.exited(20_000);
    expect(code, cli.stderr()).toBe(0);
    client.child.kill('SIGKILL');
    await client.exited();
  });
});
