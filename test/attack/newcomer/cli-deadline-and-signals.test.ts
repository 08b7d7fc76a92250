// Attack on the CLI's --deadline and SIGINT/SIGTERM promises (README "The CLI"), each against a
// real mock on 127.0.0.1 and a real CLI child: the run stops with a summary and 4/130/143, and no
// record is lost (the mock got each id at most once, except the request in flight; the rest are
// queued, as `status` shows afterwards). Spawns processes: belongs to the e2e project.
import { describe, expect, it } from 'vitest';
import { queueContents } from '../../helpers/cli-outbox-dir.js';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../../helpers/cli-run.js';
import { useMocks } from '../../helpers/mock-service.js';
import { makeRecords } from '../../helpers/records.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { sleep } from '../../helpers/sleep.js';
import { until } from '../../helpers/until.js';
import type { MockFault, MockWorkspace } from '../../../src/mock-server.js';
import { startCli, type LiveCli } from './cli-child.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const LONG = 90_000;

/** A mock with `faults`, a fresh dir, and a CLI `send -` of `count` records (batch size 1) with `extra` flags. */
async function scenario(faults: MockFault[], count: number, extra: string[], stdin?: string) {
  const mock = await startMock({ faults });
  const dir = await tempDir('newcomer-cli');
  const input = stdin ?? JSON.stringify(makeRecords(count));
  const cli = startCli(['send', '-', ...serviceArgs(mock, dir), '--batch-size', '1', '--json', ...extra], tokenEnv(mock), input);
  return { mock, dir, cli };
}

/** The summary line of a --json run (fails when there is none). */
function summaryOf(cli: LiveCli): Record<string, unknown> {
  const summary = jsonLines(cli.stdout()).find((line) => line.event === 'summary');
  if (!summary) throw new Error(`no summary line\nstdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
  return summary;
}

/** No record lost: every id is delivered or still queued, and none was delivered twice. */
async function expectNothingLost(mock: MockWorkspace, dir: string, count: number, allowedTwice: string[] = []): Promise<void> {
  const all = makeRecords(count).map((record) => record.id);
  const delivered = mock.deliveredIds();
  const twice = delivered.filter((id, index) => delivered.indexOf(id) !== index && !allowedTwice.includes(id));
  expect(twice, 'ids delivered twice').toEqual([]);
  const { pending, dead } = await queueContents(dir);
  expect(dead).toEqual([]);
  const accounted = new Set([...delivered, ...pending]);
  expect(all.filter((id) => !accounted.has(id)), 'ids neither delivered nor queued').toEqual([]);
  const status = await runCli(['status', '--dir', dir]);
  expect(status.code, status.stderr).toBe(0);
  expect(status.stdout).toContain(`pending ${pending.length} `);
}

describe.concurrent('--deadline', () => {
  it('while a request hangs at the mock: it is waited for, the rest stays queued, exit 4', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ delayMs: 6_000 }], 3, ['--deadline', '1s']);
    const { code } = await cli.exited();
    expect(code, cli.stderr()).toBe(4);
    expect(summaryOf(cli)).toMatchObject({ stopped: 'deadline', sent: 1, pending: 2 });
    expect(cli.stderr()).toContain('deadline');
    await expectNothingLost(mock, dir, 3);
    expect((await queueContents(dir)).pending).toHaveLength(2);
  });

  it('while backing off for a Retry-After of an hour: stops at the deadline, not after the hour, exit 4', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ status: 503, retryAfter: 3600 }], 2, ['--deadline', '1.5s']);
    const { code } = await cli.exited(40_000);
    expect(code, cli.stderr()).toBe(4);
    expect(summaryOf(cli)).toMatchObject({ stopped: 'deadline', pending: 2 });
    expect(cli.stderr()).toMatch(/answered 503/);
    await expectNothingLost(mock, dir, 2);
  });

  it('that passes only after everything was sent is exit 0, not 4', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([], 3, ['--deadline', '10m']);
    const { code } = await cli.exited();
    expect(code, cli.stderr()).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(makeRecords(3).map((r) => r.id));
    expect((await queueContents(dir)).pending).toEqual([]);
  });

  it('passing while stdin is still open (no input yet): the run ends instead of waiting for stdin', { timeout: LONG }, async () => {
    const mock = await startMock();
    const dir = await tempDir('newcomer-cli');
    const cli = startCli(['send', ...serviceArgs(mock, dir), '--deadline', '1s'], tokenEnv(mock));
    const { code } = await cli.exited(30_000);
    cli.child.stdin.destroy();
    expect(code, cli.stderr()).toBe(4);
    expect(cli.stderr()).toContain('nothing was queued');
  });
});

describe.concurrent('--max-attempts', () => {
  it('1: a record whose one request failed is dead-lettered at once, exit 2', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ status: 503 }], 1, ['--max-attempts', '1']);
    const { code } = await cli.exited();
    expect(code, cli.stderr()).toBe(2);
    expect(summaryOf(cli)).toMatchObject({ failed: 1, pending: 0 });
    expect(mock.requests.filter((request) => request.api === 'send')).toHaveLength(1);
    expect((await queueContents(dir)).dead).toEqual(['r0']);
  });

  it('the largest safe integer is accepted and sends normally', { timeout: LONG }, async () => {
    const { mock, cli } = await scenario([{ status: 503 }], 2, ['--max-attempts', String(Number.MAX_SAFE_INTEGER)]);
    const { code } = await cli.exited();
    expect(code, cli.stderr()).toBe(0);
    expect(mock.deliveredIds().sort()).toEqual(['r0', 'r1']);
  });
});

describe.concurrent('signals', () => {
  it('SIGTERM mid-request: the request ends, summary, 143, the rest queued', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ delayMs: 4_000 }], 3, []);
    await until(() => mock.requests.length > 0, 'the first request at the mock', 30_000);
    cli.child.kill('SIGTERM');
    const { code } = await cli.exited();
    expect(code, cli.stderr()).toBe(143);
    expect(summaryOf(cli)).toMatchObject({ stopped: 'SIGTERM', sent: 1, pending: 2 });
    await expectNothingLost(mock, dir, 3);
  });

  it('SIGINT during a long backoff: 130 at once (not after the hour), every record queued', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ status: 503, retryAfter: 3600 }], 2, []);
    await cli.waitFor('"event":"retrying"');
    cli.child.kill('SIGINT');
    const { code } = await cli.exited(30_000);
    expect(code, cli.stderr()).toBe(130);
    expect(summaryOf(cli)).toMatchObject({ stopped: 'SIGINT', sent: 0, pending: 2 });
    await expectNothingLost(mock, dir, 2);
    expect((await queueContents(dir)).pending).toEqual(['r0', 'r1']);
  });

  it('two signals mid-request: exits at once without the summary; records kept (the one in flight may arrive)', { timeout: LONG }, async () => {
    const { mock, dir, cli } = await scenario([{ delayMs: 20_000 }], 2, []);
    await until(() => mock.requests.length > 0, 'the first request at the mock', 30_000);
    cli.child.kill('SIGINT');
    await cli.waitFor('SIGINT received', 'stderr');
    cli.child.kill('SIGINT');
    const { code } = await cli.exited(15_000);
    expect(code).toBe(130);
    expect(jsonLines(cli.stdout()).some((line) => line.event === 'summary')).toBe(false);
    await expectNothingLost(mock, dir, 2, ['r0']);
    expect((await queueContents(dir)).pending).toContain('r1');
  });

  it('SIGINT while reading an open stdin: the run ends with 130 and nothing queued', { timeout: LONG }, async () => {
    const mock = await startMock();
    const dir = await tempDir('newcomer-cli');
    const cli = startCli(['send', ...serviceArgs(mock, dir)], tokenEnv(mock));
    cli.child.stdin.write('[{"id":"half"');
    // No line marks "reading stdin" (and tsx catches SIGINT from its start, so /proc cannot
    // tell): give the child ample time to get there. Too early would show as signal SIGINT.
    await sleep(8_000);
    cli.child.kill('SIGINT');
    const { code, signal } = await cli.exited(20_000);
    cli.child.stdin.destroy();
    expect({ code, signal }, cli.stderr()).toEqual({ code: 130, signal: null });
    expect(mock.requests).toEqual([]);
  });
});
