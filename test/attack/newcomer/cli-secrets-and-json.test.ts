// Attack on the CLI's output: a hostile server that echoes the token (or the AK) in error_msg,
// in every encoding of secret-encodings.ts, never gets it onto stderr or stdout; --json lines
// carry no account e-mail unless --records. Spawns processes: belongs to the e2e project.
import { describe, expect, it } from 'vitest';
import { jsonLines, runCli, serviceArgs, tokenEnv } from '../../helpers/cli-run.js';
import { useHostileServers } from '../../helpers/hostile-server.js';
import { useMocks } from '../../helpers/mock-service.js';
import { AK, ENCODINGS, SK, TOKEN, expectNoSecretInLines } from '../../helpers/secret-encodings.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const hostileServer = useHostileServers();
const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const PROJECT = '0123456789abcdef0123456789abcdef';
const LONG = 60_000;

/** One record per encoding; the server answers request n with encoding n of `secret`, 400 or 503 in turn. */
async function echoRun(secret: string, env: Record<string, string>, json: boolean) {
  let count = 0;
  const server = await hostileServer(() => {
    const [name, encode] = ENCODINGS[count % ENCODINGS.length] as (typeof ENCODINGS)[number];
    const status = count++ % 2 === 0 ? 400 : 503;
    return { status, body: { error_code: status === 400 ? 'WKS.00131104' : 'WKS.0503', error_msg: `bad (${name}): ${encode(secret)} end` } };
  });
  const records = ENCODINGS.map((_, index) => ({ id: `e${index}` }));
  const dir = await tempDir('secrets');
  const run = await runCli(
    ['send', '-', '--endpoint', server.url, '--project', PROJECT, '--dir', dir, '--batch-size', '1', '--max-attempts', '1', ...(json ? ['--json'] : [])],
    { env, stdin: JSON.stringify(records) },
  );
  expect(run.code, run.stderr).toBe(2);
  expect(count).toBeGreaterThanOrEqual(ENCODINGS.length);
  // Failure lines were written, so the redaction (not silence) is what is checked.
  expect(run.stderr.split('\n').filter((line) => line.includes('dead-lettered')).length).toBeGreaterThan(0);
  return run;
}

describe.concurrent('a server that echoes a secret in error_msg', () => {
  for (const json of [false, true]) {
    it(`the token in every encoding reaches neither stderr nor stdout${json ? ' (--json)' : ''}`, { timeout: LONG }, async () => {
      const run = await echoRun(TOKEN, { HUAWEICLOUD_AUTH_TOKEN: TOKEN }, json);
      expectNoSecretInLines(run.stderr, [TOKEN], 'stderr');
      expectNoSecretInLines(run.stdout, [TOKEN], 'stdout');
    });
  }

  it('the AK (and SK) in every encoding reaches neither stderr nor stdout (--json)', { timeout: LONG }, async () => {
    const akRun = await echoRun(AK, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK }, true);
    expectNoSecretInLines(akRun.stderr + akRun.stdout, [AK], 'AK run output');
    const skRun = await echoRun(SK, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK }, true);
    expectNoSecretInLines(skRun.stderr + skRun.stdout, [SK], 'SK run output');
  });
});

describe.concurrent('--json lines and account e-mails', () => {
  const records = [
    { id: 'ok-1', account: 'alice@example.com', account_auth_name: 'alice@example.com' },
    { id: 'bad-1', account: 'bob@example.com' },
    { id: 'retry-1', account: 'carol@example.com' },
  ];
  const run = async (extra: string[]) => {
    const mock = await startMock({ poisonIds: ['bad-1'], faults: [{ status: 503, times: 1 }] });
    const dir = await tempDir('emails');
    return runCli(['send', '-', ...serviceArgs(mock, dir), '--batch-size', '1', '--json', ...extra], { env: tokenEnv(mock), stdin: JSON.stringify(records) });
  };

  it('without --records no line holds an e-mail address, yet every event names its ids', { timeout: LONG }, async () => {
    const result = await run([]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).not.toContain('@example.com');
    expect(result.stderr).not.toContain('@example.com');
    const lines = jsonLines(result.stdout);
    expect(lines.filter((line) => line.event === 'sent').map((line) => line.id).sort()).toEqual(['ok-1', 'retry-1']);
    expect(lines.some((line) => line.event === 'retrying')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: 'summary', sent: 2, failed: 1, pending: 0 });
  });

  it('with --records the event lines carry the records, e-mails included', { timeout: LONG }, async () => {
    const result = await run(['--records']);
    expect(result.stdout).toContain('alice@example.com');
  });
});
