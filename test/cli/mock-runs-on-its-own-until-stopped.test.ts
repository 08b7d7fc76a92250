// `wks-mail-outbox mock` runs the mock service in a process of its own, for crash tests and
// wrappers in other languages: it prints {url, projectId, token} as one JSON line, serves
// (scripted faults included) until SIGTERM or SIGINT, then exits 0; bad flags are usage errors.
import { describe, expect, it } from 'vitest';
import { resendAuthorizationMails, isApiError } from '../../src/index.js';
import { runCli } from '../helpers/cli-run.js';
import { spawnTs } from '../helpers/spawn-ts.js';

const CLI = new URL('../../src/cli.ts', import.meta.url);

async function startMockProcess(args: string[]) {
  const child = spawnTs(CLI, ['mock', ...args]);
  const line = await child.waitForLine((text) => text.startsWith('{'), 30_000);
  return { child, where: JSON.parse(line) as { url: string; projectId: string; token: string } };
}

describe('wks-mail-outbox mock', () => {
  it('prints where it listens, serves its scripted faults, and exits 0 on SIGTERM', async () => {
    const { child, where } = await startMockProcess(['--port', '0', '--faults', '[{"status":503,"retryAfter":1}]']);
    try {
      expect(where.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(where.projectId).toMatch(/^[0-9a-f]{32}$/);
      const call = { endpoint: where.url, projectId: where.projectId, auth: { token: where.token }, records: [{ id: 'r1' }] };
      const first = await resendAuthorizationMails(call).catch((error: unknown) => error);
      expect(isApiError(first) && first.status).toBe(503);
      await expect(resendAuthorizationMails(call)).resolves.toMatchObject({ count: 1 });

      child.process.kill('SIGTERM');
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      await child.kill();
    }
  });

  it('takes any mock option as JSON (here a project and a poisoned id) and stops on SIGINT', async () => {
    const options = JSON.stringify({ projectId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', poisonIds: ['bad'] });
    const { child, where } = await startMockProcess(['--options', options]);
    try {
      expect(where.projectId).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
      const refused = await resendAuthorizationMails({ endpoint: where.url, projectId: where.projectId, auth: { token: where.token }, records: [{ id: 'bad' }] }).catch((error: unknown) => error);
      expect(isApiError(refused) && refused.status).toBe(400);
      child.process.kill('SIGINT');
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      await child.kill();
    }
  });

  it('a bad flag or a bad mock option is a usage error (exit 1) naming it, and nothing listens', async () => {
    const [port, faults, option] = await Promise.all([
      runCli(['mock', '--port', 'eighty']),
      runCli(['mock', '--faults', '[{"status":']),
      runCli(['mock', '--options', '{"latencyMs":-5}']),
    ]);
    expect([port.code, faults.code, option.code]).toEqual([1, 1, 1]);
    expect(port.stderr).toContain('--port');
    expect(faults.stderr).toContain('--faults must be JSON');
    expect(option.stderr).toContain('latencyMs');
    expect(port.stdout + faults.stdout + option.stdout).toBe('');
  });
});
