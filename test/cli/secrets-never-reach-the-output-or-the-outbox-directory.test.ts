// No secret the CLI was given (token, AK, SK, security token), right or wrong, shows in its
// output or in any file of its outbox directory, whatever the outcome of the run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, serviceArgs } from '../helpers/cli-run.js';
import { filesUnder } from '../helpers/files-under.js';
import { useMocks } from '../helpers/mock-service.js';
import { recordsWithAccounts } from '../helpers/records.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const startMock = useMocks('file');
const tempDir = useTempDirs('file');
const TOKEN = 'tok-7c1f0e9a52b84d6e8f3a1b2c3d4e5f60';
const WRONG_TOKEN = 'tok-wrong-1a2b3c4d5e6f7a8b9c0d1e2f3a4b';
const AK = 'AKIDSECRETTEST7Q2W9E4R';
const SK = 'sk-secret-test-3f9a8b7c6d5e4f3a2b1c';
const WRONG_SK = 'sk-wrong-test-0a9b8c7d6e5f4a3b2c1d';
const SECURITY_TOKEN = 'sectok-5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b';
const SECRETS = [TOKEN, WRONG_TOKEN, AK, SK, WRONG_SK, SECURITY_TOKEN];

async function leaksOf(env: Record<string, string>, json: boolean) {
  const mock = await startMock({ token: TOKEN, credentials: [{ ak: AK, sk: SK, securityToken: SECURITY_TOKEN }], poisonIds: ['poison-secret'] });
  const dir = join(await tempDir(), 'outbox');
  const run = await runCli(['send', '-', ...serviceArgs(mock, dir), ...(json ? ['--json'] : [])], { env, stdin: JSON.stringify([...recordsWithAccounts(3, 'secret'), { id: 'poison-secret' }]) });
  const places = new Map<string, string>([['stdout', run.stdout], ['stderr', run.stderr]]);
  for (const [path, text] of await filesUnder(dir)) places.set(`--dir file ${path}`, text);
  const leaks = [...places].flatMap(([place, text]) => SECRETS.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${place}`));
  return { run, leaks, files: places.size - 2 };
}

describe.concurrent('no secret in the output or in --dir', () => {
  it('a token that works (--json; a record dead-lettered)', async () => {
    const { run, leaks, files } = await leaksOf({ HUAWEICLOUD_AUTH_TOKEN: TOKEN }, true);
    expect(run.code).toBe(2);
    expect(files).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  it('a token that is refused (paused on auth)', async () => {
    const { run, leaks } = await leaksOf({ HUAWEICLOUD_AUTH_TOKEN: WRONG_TOKEN }, false);
    expect(run.code).toBe(3);
    expect(leaks).toEqual([]);
  });

  it('AK/SK with a security token that work', async () => {
    const { run, leaks } = await leaksOf({ HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN }, false);
    expect(run.code).toBe(2);
    expect(leaks).toEqual([]);
  });

  it('an SK that does not match (paused on auth, --json)', async () => {
    const { run, leaks } = await leaksOf({ HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: WRONG_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN }, true);
    expect(run.code).toBe(3);
    expect(leaks).toEqual([]);
  });
});
