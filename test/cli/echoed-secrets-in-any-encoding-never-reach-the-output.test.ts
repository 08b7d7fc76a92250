// A hostile server echoes the credentials the CLI sent (token, or AK and security token) in
// every common encoding, in error_msg, error_code and X-Request-Id. None of it may reach the
// CLI's output (human or --json, of `send` and of `dead`), its stderr, or the outbox directory.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.js';
import { filesUnder } from '../helpers/files-under.js';
import { useHostileServers } from '../helpers/hostile-server.js';
import { PROJECT } from '../helpers/project.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { AK, ENCODINGS, expectNoSecretInLines, secretsReceived, SECURITY_TOKEN, SK, TOKEN } from '../helpers/secret-encodings.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('file');
const startServer = useHostileServers();
const SECRETS = [TOKEN, AK, SK, SECURITY_TOKEN];

const ENVS: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['a token', { HUAWEICLOUD_AUTH_TOKEN: TOKEN }],
  ['AK/SK with a security token', { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN }],
];

describe.concurrent.each(ENVS)('with %s', (_what, env) => {
  it('one record per request, each refused (400) with the secrets echoed in another encoding: exit 2, no secret anywhere', async () => {
    let calls = 0;
    const server = await startServer((request) => {
      const [, encode] = ENCODINGS[calls++ % ENCODINGS.length]!;
      const echoed = secretsReceived(request.headers).map(encode);
      return {
        status: 400,
        headers: { 'x-request-id': echoed.join('~') },
        body: { error_code: `WKS.${echoed.join('.')}`, error_msg: `refused for ${echoed.join(' and ')}` },
      };
    });
    const records = JSON.stringify(recordsWithAccounts(ENCODINGS.length, 'echo'));
    const service = (dir: string) => ['--endpoint', server.url, '--project', PROJECT, '--dir', dir, '--batch-size', '1'];
    const humanDir = join(await tempDir(), 'human');
    const jsonDir = join(await tempDir(), 'json');

    const sendHuman = await runCli(['send', '-', ...service(humanDir)], { env, stdin: records });
    const sendJson = await runCli(['send', '-', ...service(jsonDir), '--json'], { env, stdin: records });
    const deadHuman = await runCli(['dead', '--dir', humanDir]);
    const deadJson = await runCli(['dead', '--dir', jsonDir, '--json']);

    expect(server.received).toHaveLength(2 * ENCODINGS.length);
    for (const [name, run] of Object.entries({ sendHuman, sendJson, deadHuman, deadJson })) {
      expect(run.code, `${name}: ${run.stderr}`).toBe(name.startsWith('send') ? 2 : 0);
      expectNoSecretInLines(run.stdout, SECRETS, `${name}'s stdout`);
      expectNoSecretInLines(run.stderr, SECRETS, `${name}'s stderr`);
    }
    // The refusals did reach the output, redacted.
    expect(deadHuman.stdout).toContain('[redacted]');
    expect(deadJson.stdout.split('\n').filter(Boolean)).toHaveLength(ENCODINGS.length);
    for (const dir of [humanDir, jsonDir]) {
      for (const [path, text] of await filesUnder(dir)) expectNoSecretInLines(text, SECRETS, `${dir}/${path}`);
    }
  }, 180_000);
});
